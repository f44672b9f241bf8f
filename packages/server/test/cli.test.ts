import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { aws, BIN, hasAwsCli, startProcess } from './helpers/cli.ts';

// The newcomer's path: `cognate start` on an empty data directory, then the
// AWS CLI with the credentials it printed, doing what the seed does.
const cliMissing = !hasAwsCli();
if (cliMissing && process.env['CI'] === 'true') throw new Error('The AWS CLI is required under CI=true (pip install awscli).');
if (cliMissing) console.warn('\n*** The AWS CLI is not installed: the AWS CLI tests are SKIPPED (they run under CI=true). ***\n');

describe('cognate start and the AWS CLI', { skip: cliMissing ? 'AWS CLI not installed' : false }, () => {
  let dir: string;
  let started: Awaited<ReturnType<typeof startProcess>>;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognate-cli-'));
    started = await startProcess(['--port', '0', '--data-dir', dir, '--log-level', 'warn']);
    // Exactly the environment lines Cognate printed.
    env = { AWS_CONFIG_FILE: join(dir, 'no-config') };
    for (const m of started.stdout().matchAll(/^\s+export (.+)$/gm)) {
      for (const pair of m[1]!.split(' ')) {
        const eq = pair.indexOf('=');
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
  });
  after(() => {
    started.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes its own master key, credentials and database, owner-only', () => {
    for (const f of ['master.key', 'credentials', 'cognate.db']) {
      assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, `${f} is 0600`);
    }
    const creds = readFileSync(join(dir, 'credentials'), 'utf8');
    assert.match(creds, /^\[cognate\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\n$/);
    assert.ok(env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER']?.startsWith('http://localhost:'));
  });

  it('runs one hashing and signing thread per core unless UV_THREADPOOL_SIZE says otherwise (bin/cognate.cjs)', () => {
    const expected = process.env['UV_THREADPOOL_SIZE'] ?? String(availableParallelism());
    assert.match(started.stdout(), new RegExp(`Hashing and signing threads: ${expected} per process`));
  });

  it('serves /health', async () => {
    const res = await fetch(`${started.endpoint}/health`);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it("runs the seed's CLI steps: create-user-pool, admin-create-user, admin-set-user-password --permanent, then sign-in", () => {
    const pool = aws(
      [
        'cognito-idp',
        'create-user-pool',
        '--pool-name',
        'cruddur-user-pool',
        '--username-attributes',
        'email',
        '--auto-verified-attributes',
        'email',
        '--schema',
        'Name=name,Required=true,Mutable=true',
        'Name=preferred_username,Required=true,Mutable=true',
        '--account-recovery-setting',
        'RecoveryMechanisms=[{Priority=1,Name=verified_email}]',
        '--user-attribute-update-settings',
        'AttributesRequireVerificationBeforeUpdate=email',
      ],
      env,
    ).UserPool as { Id: string; UsernameAttributes: string[] };
    assert.deepEqual(pool.UsernameAttributes, ['email']);
    const client = aws(
      [
        'cognito-idp',
        'create-user-pool-client',
        '--user-pool-id',
        pool.Id,
        '--client-name',
        'cruddur',
        '--no-generate-secret',
        '--explicit-auth-flows',
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      env,
    ).UserPoolClient as { ClientId: string };
    const created = aws(
      [
        'cognito-idp',
        'admin-create-user',
        '--user-pool-id',
        pool.Id,
        '--username',
        'andrew@example.com',
        '--user-attributes',
        'Name=name,Value=Andrew',
        'Name=preferred_username,Value=andrewbrown',
        '--message-action',
        'SUPPRESS',
      ],
      env,
    ).User as { Username: string; UserStatus: string };
    assert.equal(created.UserStatus, 'FORCE_CHANGE_PASSWORD');
    aws(
      ['cognito-idp', 'admin-set-user-password', '--user-pool-id', pool.Id, '--username', 'andrew@example.com', '--password', 'Testing1234!', '--permanent'],
      env,
    );
    const user = aws(['cognito-idp', 'admin-get-user', '--user-pool-id', pool.Id, '--username', 'andrew@example.com'], env);
    assert.equal(user.UserStatus, 'CONFIRMED');
    const auth = aws(
      [
        'cognito-idp',
        'initiate-auth',
        '--client-id',
        client.ClientId,
        '--auth-flow',
        'USER_PASSWORD_AUTH',
        '--auth-parameters',
        'USERNAME=andrew@example.com,PASSWORD=Testing1234!',
      ],
      env,
    );
    const result = auth.AuthenticationResult as { AccessToken: string; TokenType: string };
    assert.equal(result.TokenType, 'Bearer');
    const me = aws(['cognito-idp', 'get-user', '--access-token', result.AccessToken], env);
    assert.equal(me.Username, created.Username);
  });

  it('refuses operator calls from the CLI without the credentials', () => {
    const strangerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...env,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    delete strangerEnv['AWS_PROFILE'];
    const r = spawnSync('aws', ['cognito-idp', 'list-user-pools', '--max-results', '5'], { encoding: 'utf8', env: strangerEnv });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /UnrecognizedClientException/);
  });

  it('shows mail in `cognate outbox`, and shuts down cleanly on SIGTERM', async () => {
    const pool = aws(['cognito-idp', 'create-user-pool', '--pool-name', 'mail', '--username-attributes', 'email', '--auto-verified-attributes', 'email'], env)
      .UserPool as { Id: string };
    const client = aws(['cognito-idp', 'create-user-pool-client', '--user-pool-id', pool.Id, '--client-name', 'c'], env).UserPoolClient as { ClientId: string };
    aws(['cognito-idp', 'sign-up', '--client-id', client.ClientId, '--username', 'reader@example.com', '--password', 'Passw0rd!'], env);
    const out = spawnSync(process.execPath, [BIN, 'outbox', '--data-dir', dir, '--to', 'reader@example.com', '--json'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const messages = JSON.parse(out.stdout) as { to: string; body: string; subject: string }[];
    assert.equal(messages.length, 1);
    assert.match(messages[0]!.body, /Your verification code is \d{6}/);
    const exited = new Promise<number | null>((resolve) => started.proc.on('exit', resolve));
    started.proc.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

describe('cognate command line', () => {
  it('reports every configuration problem at once and exits 2', () => {
    const r = spawnSync(process.execPath, [BIN, 'start', '--port', 'abc', '--region', 'nowhere', '--bogus', '1'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port/);
    assert.match(r.stderr, /--region/);
    assert.match(r.stderr, /--bogus: unknown option/);
  });

  it('prints usage listing every option', () => {
    const r = spawnSync(process.execPath, [BIN, 'help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    for (const flag of ['--port', '--host', '--data-dir', '--public-url', '--region', '--smtp-url']) assert.ok(r.stdout.includes(flag), flag);
  });
});
