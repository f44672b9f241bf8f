import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { BIN, startProcess } from './helpers/cli.ts';
import { createTestSchema, testDatabase, type TestSchema } from './helpers/database.ts';

// `cognate start --database-url postgres://…` as a real process: state lives
// in PostgreSQL (no SQLite file appears, a restart finds it), and the
// database password never reaches the output. Runs in the PostgreSQL pass.
describe('cognate start on PostgreSQL', { skip: testDatabase() !== 'postgres' ? 'PostgreSQL pass only' : false }, () => {
  let dir: string;
  let schema: TestSchema;
  let databaseUrl: string;
  const password = 'pg-pass-never-printed';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognate-pg-cli-'));
    schema = await createTestSchema();
    // The local server trusts every connection, so any password works; it must only never be echoed.
    const url = new URL(schema.url);
    url.password = password;
    databaseUrl = url.toString();
  });
  after(async () => {
    await schema.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startAndList(create: string | null): Promise<{ names: string[]; out: string }> {
    const started = await startProcess(['--port', '0', '--data-dir', dir, '--log-level', 'warn', '--database-url', databaseUrl]);
    try {
      const creds = readFileSync(join(dir, 'credentials'), 'utf8');
      const accessKeyId = /aws_access_key_id = (\S+)/.exec(creds)![1]!;
      const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(creds)![1]!;
      const client = new CognitoIdentityProviderClient({
        region: 'us-east-1',
        endpoint: started.endpoint,
        credentials: { accessKeyId, secretAccessKey },
        maxAttempts: 1,
      });
      if (create) await client.send(new CreateUserPoolCommand({ PoolName: create }));
      const listed = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      client.destroy();
      return { names: (listed.UserPools ?? []).map((p) => p.Name!), out: started.stdout() };
    } finally {
      started.proc.kill('SIGTERM');
      await new Promise((done) => started.proc.once('exit', done));
    }
  }

  it('keeps state in PostgreSQL across restarts, writes no SQLite file and never prints the password', async () => {
    const first = await startAndList('kept-in-postgres');
    assert.deepEqual(first.names, ['kept-in-postgres']);
    assert.match(first.out, /Database: PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/test\?schema=cognate_t_/);
    assert.ok(!first.out.includes(password), 'the password is not printed');
    assert.equal(existsSync(join(dir, 'cognate.db')), false, 'no SQLite database is created');
    const second = await startAndList(null);
    assert.deepEqual(second.names, ['kept-in-postgres']);
  });

  it('refuses a database URL that is not postgres:// at start, with status 2 and without echoing it', () => {
    const r = spawnSync(process.execPath, [BIN, 'start', '--data-dir', dir, '--database-url', `mysql://root:${password}@localhost/db`], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--database-url \/ COGNATE_DATABASE_URL: must be a postgres:\/\/ URL/);
    assert.ok(!r.stderr.includes(password) && !r.stdout.includes(password));
  });
});
