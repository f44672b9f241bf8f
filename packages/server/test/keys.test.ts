import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { ConfigError } from '../src/errors/config-error.ts';
import { configFor } from '../src/config/load.ts';
import { attachDataKeys } from '../src/crypto/data-keys.ts';
import { MasterKey } from '../src/crypto/master-key.ts';
import { FakeClock } from '../src/services/clock.ts';
import { rotateDueSigningKeys } from '../src/services/signing-key-rotation.ts';
import { openDatabase } from '../src/store/open.ts';
import { BIN } from './helpers/cli.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Issue 6, "Keys": envelope encryption with master-key rotation under a
// running server, and per-pool signing-key rotation (CLI and schedule) with
// the old key published until its last token expires.

const PASSWORD = 'Turn0ver-Secret!pw';
const MINUTE = 60_000;
const run = promisify(execFile);

/** `cognate <args>` as a real process on the test server's database. */
async function cli(c: Running, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const db = c.deps.config.databaseUrl ? ['--database-url', c.deps.config.databaseUrl] : [];
  const env = { ...process.env };
  delete env['COGNATE_MASTER_KEY'];
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, '--data-dir', c.dataDir, ...db], { env });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const kidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

async function jwksKids(c: Running, poolId: string): Promise<string[]> {
  const res = await fetch(`${c.url}/${poolId}/.well-known/jwks.json`);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();
}

/** A pool, a client with a secret, and a confirmed user; signIn() returns fresh tokens. */
async function poolWithUser(c: Running, clientSettings: object = {}) {
  const poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'rotation-pool' }))).UserPool!.Id!;
  const client = (
    await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ...clientSettings,
      }),
    )
  ).UserPoolClient!;
  await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'kim', MessageAction: 'SUPPRESS' }));
  await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'kim', Password: PASSWORD, Permanent: true }));
  const signIn = async () => {
    const out = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: client.ClientId!,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: 'kim',
          PASSWORD,
          SECRET_HASH: createHmac('sha256', client.ClientSecret!).update(`kim${client.ClientId!}`).digest('base64'),
        },
      }),
    );
    return { access: out.AuthenticationResult!.AccessToken!, id: out.AuthenticationResult!.IdToken! };
  };
  return { poolId, clientId: client.ClientId!, clientSecret: client.ClientSecret!, signIn };
}

describe('signing-key rotation', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  it('rotates through the CLI: new tokens carry the new kids, old tokens still verify, old keys leave the JWKS after the longest validity', async () => {
    // Longest access validity 60 minutes (the second client's default), longest ID validity 2 hours (the first client's).
    const p = await poolWithUser(c, { AccessTokenValidity: 30, IdTokenValidity: 2, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours' } });
    await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: p.poolId, ClientName: 'other' }));
    const old = await p.signIn();
    const oldKids = await jwksKids(c, p.poolId);
    assert.deepEqual([kidOf(old.access), kidOf(old.id)].sort(), oldKids);

    const out = await cli(c, ['signing-keys', 'rotate', '--pool', p.poolId]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`Rotated the signing keys of ${p.poolId}`));

    const fresh = await p.signIn();
    assert.ok(!oldKids.includes(kidOf(fresh.access)) && !oldKids.includes(kidOf(fresh.id)), 'new tokens are signed by the new keys');
    assert.deepEqual(await jwksKids(c, p.poolId), [...oldKids, kidOf(fresh.access), kidOf(fresh.id)].sort(), 'old and new keys are published');
    assert.match(out.stdout, new RegExp(`ID key ${kidOf(fresh.id)}, access key ${kidOf(fresh.access)}`));
    // Old and new access tokens both work at Cognate.
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: old.access }))).Username, 'kim');
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: fresh.access }))).Username, 'kim');

    clock.advance(59 * MINUTE);
    assert.equal((await jwksKids(c, p.poolId)).length, 4, 'within the longest access validity both old keys stay');
    clock.advance(2 * MINUTE);
    assert.deepEqual(await jwksKids(c, p.poolId), [kidOf(old.id), kidOf(fresh.access), kidOf(fresh.id)].sort(), 'the old access key leaves after 60 minutes');
    clock.advance(60 * MINUTE);
    assert.deepEqual(await jwksKids(c, p.poolId), [kidOf(fresh.access), kidOf(fresh.id)].sort(), 'the old ID key leaves after 2 hours');
    // The new keys keep signing, and a second rotation retires them in turn.
    assert.equal(kidOf((await p.signIn()).access), kidOf(fresh.access));
  });

  it('refuses a rotation for a pool that does not exist, and without --pool', async () => {
    const missing = await cli(c, ['signing-keys', 'rotate', '--pool', 'us-east-1_Nope12345']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /User pool us-east-1_Nope12345 does not exist\./);
    const noPool = await cli(c, ['signing-keys', 'rotate']);
    assert.equal(noPool.code, 2);
    assert.match(noPool.stderr, /--pool POOL_ID is required/);
  });

  it('rotates on a schedule once the keys are --signing-key-rotation-days old, once even when run twice', async () => {
    const p = await poolWithUser(c);
    const first = await jwksKids(c, p.poolId);
    assert.ok(!(await rotateDueSigningKeys(c.deps, 30)).includes(p.poolId), 'fresh keys are not due');
    clock.advance(30 * 86_400_000);
    const [a, b] = await Promise.all([rotateDueSigningKeys(c.deps, 30), rotateDueSigningKeys(c.deps, 30)]);
    assert.equal([...a, ...b].filter((id) => id === p.poolId).length, 1, 'two runs at once rotate the pool once');
    const kids = await jwksKids(c, p.poolId);
    assert.equal(kids.length, 4);
    const fresh = await p.signIn();
    assert.ok(!first.includes(kidOf(fresh.access)));
    assert.ok(!(await rotateDueSigningKeys(c.deps, 30)).includes(p.poolId), 'not due again right after');
  });
});

describe('master-key rotation', () => {
  let c: Running;
  let restarted: BuiltApp | null = null;
  before(async () => {
    c = await startCognate();
  });
  after(async () => {
    await restarted?.app.close();
    await c.stop();
  });

  it('rotates with the server running; calls keep working, a restart with the new key works, the old key alone opens nothing', async () => {
    const p = await poolWithUser(c);
    const keyFile = join(c.dataDir, 'master.key');
    const oldKey = readFileSync(keyFile, 'utf8').trim();

    const out = await cli(c, ['master-key', 'rotate']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Master key rotated: \d+ data key\(s\) re-wrapped/);
    assert.ok(!out.stdout.includes(oldKey), 'the key is never printed');
    const newKey = readFileSync(keyFile, 'utf8').trim();
    assert.notEqual(newKey, oldKey);
    assert.equal(readFileSync(`${keyFile}.previous`, 'utf8').trim(), oldKey);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the new key file is owner-only');
    assert.equal(statSync(`${keyFile}.previous`).mode & 0o777, 0o600);
    // Every data-key row is now wrapped under the new key.
    const rows = await c.deps.store.dataKeys.all();
    assert.ok(rows.length > 0 && rows.every((r) => r.master_key_id === MasterKey.fromBytes(Buffer.from(newKey, 'base64')).id));

    // The running server: sealed values open (client secret, signing keys, operator secret), new ones seal.
    const described = await c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: p.poolId, ClientId: p.clientId }));
    assert.equal(described.UserPoolClient!.ClientSecret, p.clientSecret);
    const before = await p.signIn();
    const p2 = await poolWithUser(c);
    await p2.signIn();

    // Restart on the same data directory (and database): the new master.key opens everything.
    const config = c.deps.config;
    await c.app.close();
    // The clients' keep-alive sockets went with the old server: dropped here, or
    // the next call could go out on one before its close is noticed (socket hang up).
    c.admin.destroy();
    c.anon.destroy();
    restarted = await buildApp(config);
    c.deps = restarted.deps;
    restarted.deps.tokens.setPublicUrl(c.url);
    await restarted.app.listen({ port: Number(new URL(c.url).port), host: '127.0.0.1' });
    assert.equal(
      (await c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: p.poolId, ClientId: p.clientId }))).UserPoolClient!.ClientSecret,
      p.clientSecret,
    );
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: before.access }))).Username, 'kim');
    await p.signIn();
    assert.ok((await c.admin.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools!.length >= 2);

    // The old key alone: refused at start (exit status 2 from the CLI), and it unwraps no data key.
    await assert.rejects(buildApp({ ...config, port: 0 }, { masterKey: oldKey }), ConfigError);
    const { db } = await openDatabase(config);
    try {
      await assert.rejects(attachDataKeys(db, MasterKey.fromBytes(Buffer.from(oldKey, 'base64')), null, Date.now()), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /The master key does not open this database's data keys: data key dk1 is wrapped under master key/);
        return true;
      });
    } finally {
      await db.destroy();
    }
  });

  it('finishes an interrupted rotation instead of starting another', async () => {
    const keyFile = join(c.dataDir, 'master.key');
    const current = MasterKey.fromBytes(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'));
    // As if the last rotation stopped after replacing the key file: the data keys still under the previous key.
    const previous = MasterKey.fromBytes(Buffer.from(readFileSync(`${keyFile}.previous`, 'utf8').trim(), 'base64'));
    for (const row of await c.deps.store.dataKeys.all()) {
      const bytes = current.unwrap(row.id, row.wrapped);
      await c.deps.store.dataKeys.rewrap(row.id, previous.wrap(row.id, bytes), previous.id, Date.now());
    }
    const out = await cli(c, ['master-key', 'rotate']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Finished an interrupted rotation: \d+ data key\(s\) re-wrapped/);
    assert.equal(MasterKey.fromBytes(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).id, current.id, 'no new key was made');
    assert.ok((await c.deps.store.dataKeys.all()).every((r) => r.master_key_id === current.id));
  });
});

describe('envelope encryption', () => {
  it('upgrades a database from before data keys: its values still open, new ones seal under a data key, MACs unchanged', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cognate-keys-'));
    const bytes = randomBytes(32);
    const { db } = await openDatabase(configFor({ dataDir, databaseUrl: null }));
    try {
      // What the old code left: an operator key sealed `v1.` under the master key itself, and no data keys.
      const legacy = MasterKey.fromBytes(bytes);
      const secretSealed = legacy.seal('access-key', 'AKIAOLD', 'old-secret');
      await db
        .insertInto('access_keys')
        .values({ access_key_id: 'AKIAOLD', secret_sealed: secretSealed, status: 'Active', description: 'old', created_at: 1 })
        .execute();
      const ring = MasterKey.fromBytes(bytes);
      await attachDataKeys(db, ring, null, Date.now());
      assert.deepEqual(
        (await db.selectFrom('data_keys').select('id').orderBy('created_at').execute()).map((r) => r.id),
        ['v1', 'dk1'],
      );
      assert.equal(ring.open('access-key', 'AKIAOLD', secretSealed).toString(), 'old-secret');
      assert.match(ring.seal('access-key', 'AKIANEW', 'new-secret'), /^v2\.dk1\./);
      assert.equal(ring.mac('code', 'sub|purpose|123456'), legacy.mac('code', 'sub|purpose|123456'));
    } finally {
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('seals under a data key named in the value, and still opens values of the old scheme', () => {
    const bytes = Buffer.alloc(32, 7);
    const legacy = MasterKey.fromBytes(bytes);
    const oldValue = legacy.seal('client-secret', 'client-1', 'shh');
    assert.match(oldValue, /^v1\./);

    const ring = MasterKey.fromBytes(bytes);
    const dk = Buffer.alloc(32, 9);
    ring.useDataKeys(
      new Map([
        ['v1', bytes],
        ['dk1', dk],
      ]),
      'dk1',
      'v1',
    );
    const sealed = ring.seal('client-secret', 'client-1', 'shh');
    assert.match(sealed, /^v2\.dk1\./);
    assert.equal(ring.open('client-secret', 'client-1', sealed).toString(), 'shh');
    assert.equal(ring.open('client-secret', 'client-1', oldValue).toString(), 'shh', 'old-scheme values open with the legacy data key');
    assert.equal(ring.mac('code', 'x'), legacy.mac('code', 'x'), 'MACs made before data keys still match');
    assert.throws(() => ring.open('client-secret', 'client-2', sealed), 'bound to its row');
    assert.throws(() => ring.open('client-secret', 'client-1', sealed.replace('v2.dk1.', 'v2.dk9.')), /data key dk9/);
    assert.throws(() => legacy.open('client-secret', 'client-1', sealed), /data key dk1/);
  });
});
