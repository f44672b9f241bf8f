import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as srp from '../src/crypto/srp.ts';
import { MASTER_KEY_MISMATCH } from '../src/services/master-key-check.ts';
import { READ_CACHE_TTL_MS } from '../src/store/read-cache.ts';
import { BIN, clientsFor, operatorCredentials } from './helpers/cli.ts';
import { createTestSchema, testDatabase, type TestSchema } from './helpers/database.ts';
import { Inbox } from './helpers/mail.ts';
import { claim, largeA, newHelper, passwordKey, poolNameOf } from './helpers/srp-client.ts';

// Several real `cognate start` processes over one database, as behind a load
// balancer: nothing a request needs may live in one process's memory. Every
// node is started with the same --public-url (the balancer's address, the
// token issuer) and the same --master-key-file, each on its own data directory.

const PASSWORD = 'Passw0rd!';
const PUBLIC_URL = 'http://cognate.internal.test';
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const locked = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };
const revoked = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };

interface Node {
  proc: ChildProcessWithoutNullStreams;
  /** Where this process listens (not the public URL). */
  url: string;
  out: () => string;
  exited: Promise<number | string | null>;
}

/** Runs `cognate start` and resolves once it prints where it listens. */
async function startNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Node> {
  const proc = spawn(process.execPath, [BIN, 'start', '--port', '0', '--log-level', 'warn', ...args], { env: { ...process.env, ...env } });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // The exit code, or the signal that ended the process.
  const exited = new Promise<number | string | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cognate did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /Cognate is listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`cognate exited with ${code}:\n${out}`)));
  });
  return { proc, url, out: () => out, exited };
}

async function stopNode(node: Node): Promise<number | string | null> {
  if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill('SIGTERM');
  return node.exited;
}

function keyFile(dir: string, name: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode });
  return path;
}

const kidOf = (jwt: string): string => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;

describe('three nodes on one PostgreSQL', {
  skip: testDatabase() !== 'postgres' ? 'PostgreSQL pass only: several nodes share one database only on PostgreSQL' : false,
}, () => {
  let root: string;
  let schema: TestSchema;
  let inbox: Inbox;
  let sharedKey: string;
  const dirs: string[] = [];
  const nodes: Node[] = [];
  let clients: ReturnType<typeof clientsFor>[] = [];
  const common = () => [
    '--public-url',
    PUBLIC_URL,
    '--database-url',
    schema.url,
    '--database-pool-size',
    '3',
    '--master-key-file',
    sharedKey,
    '--smtp-url',
    inbox.url,
  ];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'cognate-multinode-'));
    schema = await createTestSchema();
    inbox = await new Inbox().start();
    sharedKey = keyFile(root, 'shared.key');
    for (let i = 0; i < 3; i++) dirs.push(mkdtempSync(join(root, `node${i}-`)));
    // The first node initialises the database (and writes the operator credentials); the others join it together.
    nodes.push(await startNode([...common(), '--data-dir', dirs[0]!]));
    nodes.push(...(await Promise.all(dirs.slice(1).map((d) => startNode([...common(), '--data-dir', d])))));
    const credentials = operatorCredentials(dirs[0]!);
    clients = nodes.map((n) => clientsFor(n.url, credentials));
  });
  after(async () => {
    for (const c of clients) {
      c.admin.destroy();
      c.anon.destroy();
    }
    await Promise.all(nodes.map(stopNode));
    await inbox.close();
    await schema.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const node = (i: number) => clients[i % 3]!;
  const newPool = async (on: number) => {
    const poolId = (await node(on).admin.send(new CreateUserPoolCommand({ PoolName: 'multinode', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
    const client = await node(on + 1).admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    return { poolId, clientId: client.UserPoolClient!.ClientId! };
  };
  const confirmedUser = async (poolId: string, username: string, on: number) => {
    await node(on).admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
    await node(on + 1).admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const signIn = (on: number, clientId: string, username: string, password = PASSWORD) =>
    node(on).anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );

  it('all three serve the same operator key and the same pools', async () => {
    await node(0).admin.send(new CreateUserPoolCommand({ PoolName: 'seen-everywhere' }));
    for (let i = 0; i < 3; i++) {
      const names = ((await node(i).admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? []).map((p) => p.Name);
      assert.ok(names.includes('seen-everywhere'), `node ${i} lists the pool`);
    }
    // Only the first start of the database made an operator key; the others found it.
    assert.equal(existsSync(join(dirs[1]!, 'credentials')), false);
    assert.equal(existsSync(join(dirs[2]!, 'credentials')), false);
  });

  it('signs up on one node, confirms on another and signs in on the third', async () => {
    const { clientId } = await newPool(0);
    const email = 'ada@example.com';
    const signedUp = await node(0).anon.send(
      new SignUpCommand({ ClientId: clientId, Username: 'ada', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    assert.equal(signedUp.UserConfirmed, false);
    const code = await inbox.nextCode(email);
    await node(1).anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ada', ConfirmationCode: code }));
    const out = await signIn(2, clientId, 'ada');
    const token = out.AuthenticationResult!.AccessToken!;
    // The token a node issued is accepted by every node: one issuer (the public URL), keys in the database.
    for (let i = 0; i < 3; i++) assert.equal((await node(i).anon.send(new GetUserCommand({ AccessToken: token }))).Username, 'ada');
  });

  it('GlobalSignOut on one node makes the access token fail on the others at once', async () => {
    const { poolId, clientId } = await newPool(1);
    await confirmedUser(poolId, 'bo', 1);
    const token = (await signIn(0, clientId, 'bo')).AuthenticationResult!.AccessToken!;
    assert.equal((await node(2).anon.send(new GetUserCommand({ AccessToken: token }))).Username, 'bo');
    await node(1).anon.send(new GlobalSignOutCommand({ AccessToken: token }));
    await assert.rejects(node(2).anon.send(new GetUserCommand({ AccessToken: token })), revoked);
    await assert.rejects(node(0).anon.send(new GetUserCommand({ AccessToken: token })), revoked);
  });

  it('locks an account after five failures spread over the three nodes', async () => {
    const { poolId, clientId } = await newPool(2);
    await confirmedUser(poolId, 'cy', 2);
    // No node sees more than two of the five failures: the count lives in the database.
    for (let i = 0; i < 5; i++) await assert.rejects(signIn(i, clientId, 'cy', 'Wr0ng!pass'), incorrect);
    // The lock lasts one second after the fifth failure: the right password, asked of every node at once, is refused by all.
    const attempts = await Promise.allSettled([0, 1, 2].map((i) => signIn(i, clientId, 'cy')));
    for (const a of attempts) {
      assert.equal(a.status, 'rejected');
      assert.equal((a.reason as Error).name, locked.name);
      assert.equal((a.reason as Error).message, locked.message);
    }
  });

  it('a pool setting changed on one node applies on all (on that node at once, on the others within the read-cache bound)', async () => {
    const { poolId, clientId } = await newPool(0);
    const short = 'Sh0rt!pwd1'; // ten characters
    await node(2).anon.send(
      new SignUpCommand({ ClientId: clientId, Username: 'before', Password: short, UserAttributes: [{ Name: 'email', Value: 'before@example.com' }] }),
    );
    await node(0).admin.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        AutoVerifiedAttributes: ['email'],
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
      }),
    );
    await assert.rejects(
      node(0).anon.send(
        new SignUpCommand({ ClientId: clientId, Username: 'after0', Password: short, UserAttributes: [{ Name: 'email', Value: 'after0@example.com' }] }),
      ),
      {
        name: 'InvalidPasswordException',
      },
    );
    // Node 2 read the pool for the sign-up above: it may serve that copy for READ_CACHE_TTL_MS (docs/deployment.md).
    await sleep(READ_CACHE_TTL_MS);
    for (const i of [1, 2]) {
      await assert.rejects(
        node(i).anon.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: `after${i}`,
            Password: short,
            UserAttributes: [{ Name: 'email', Value: `after${i}@example.com` }],
          }),
        ),
        { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' },
      );
    }
  });

  it('a pool deleted on one node, then used on another that still holds its copy: ResourceNotFoundException, not an internal error', async () => {
    const { poolId, clientId } = await newPool(0);
    // Node 1 reads the pool (and keeps it, for up to READ_CACHE_TTL_MS).
    await node(1).admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    await node(1).anon.send(
      new SignUpCommand({ ClientId: clientId, Username: 'first', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'first@example.com' }] }),
    );
    await node(0).admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    // Its copy of the pool lets these through to their writes, where the foreign keys refuse them.
    await assert.rejects(node(1).admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'late' })), {
      name: 'ResourceNotFoundException',
    });
    await assert.rejects(
      node(1).anon.send(
        new SignUpCommand({ ClientId: clientId, Username: 'late', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'late@example.com' }] }),
      ),
      {
        name: 'ResourceNotFoundException',
      },
    );
    // Once the bound has passed every node answers from the database.
    await sleep(READ_CACHE_TTL_MS);
    for (let i = 0; i < 3; i++)
      await assert.rejects(node(i).admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), { name: 'ResourceNotFoundException' });
  });

  it('runs the two steps of an SRP sign-in on different nodes', async () => {
    const { poolId, clientId } = await newPool(1);
    await confirmedUser(poolId, 'di', 0);
    const helper = newHelper(poolNameOf(poolId));
    const A = await largeA(helper);
    const started = await node(1).anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'di', SRP_A: A.toString(16) } }),
    );
    assert.equal(started.ChallengeName, 'PASSWORD_VERIFIER');
    const p = started.ChallengeParameters!;
    const key = await passwordKey(helper, p['USER_ID_FOR_SRP']!, PASSWORD, p['SRP_B']!, p['SALT']!);
    const timestamp = srp.formatTimestamp(Date.now());
    const answered = await node(2).anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: started.Session,
        ChallengeResponses: {
          USERNAME: p['USER_ID_FOR_SRP']!,
          PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
          TIMESTAMP: timestamp,
          PASSWORD_CLAIM_SIGNATURE: claim(key, poolNameOf(poolId), p['USER_ID_FOR_SRP']!, p['SECRET_BLOCK']!, timestamp),
        },
      }),
    );
    assert.equal((await node(0).anon.send(new GetUserCommand({ AccessToken: answered.AuthenticationResult!.AccessToken! }))).Username, 'di');
  });

  it("serves a signing-key rotation in every node's JWKS, and every node signs with the new key", async () => {
    const { poolId, clientId } = await newPool(2);
    await confirmedUser(poolId, 'ed', 2);
    const jwks = async (i: number) =>
      ((await (await fetch(`${nodes[i]!.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const oldToken = (await signIn(0, clientId, 'ed')).AuthenticationResult!.AccessToken!;
    // The operator rotates with the CLI, from any host holding the database URL and the master key.
    const rotated = spawnSync(
      process.execPath,
      [
        BIN,
        'signing-keys',
        'rotate',
        '--pool',
        poolId,
        '--database-url',
        schema.url,
        '--master-key-file',
        sharedKey,
        '--data-dir',
        mkdtempSync(join(root, 'rotator-')),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(rotated.status, 0, rotated.stderr);
    const newKid = /access key (\S+) sign/.exec(rotated.stdout)![1]!;
    await sleep(READ_CACHE_TTL_MS); // the bound on a node's copy of the keys (docs/deployment.md)
    assert.notEqual(newKid, kidOf(oldToken));
    for (let i = 0; i < 3; i++) {
      const kids = await jwks(i);
      assert.ok(kids.includes(newKid), `node ${i} publishes the new key`);
      assert.ok(kids.includes(kidOf(oldToken)), `node ${i} still publishes the retired key`);
    }
    for (let i = 0; i < 3; i++) {
      const token = (await signIn(i, clientId, 'ed')).AuthenticationResult!.AccessToken!;
      assert.equal(kidOf(token), newKid, `node ${i} signs with the new key`);
      assert.equal((await node(i + 1).anon.send(new GetUserCommand({ AccessToken: token }))).Username, 'ed');
      assert.equal((await node(i).anon.send(new GetUserCommand({ AccessToken: oldToken }))).Username, 'ed');
    }
  });

  it('refuses to start a node whose master key is not the one the database was initialised with (exit status 2)', () => {
    const other = keyFile(root, 'other.key');
    const dir = mkdtempSync(join(root, 'stranger-'));
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'start',
        '--port',
        '0',
        '--log-level',
        'warn',
        '--public-url',
        PUBLIC_URL,
        '--database-url',
        schema.url,
        '--master-key-file',
        other,
        '--data-dir',
        dir,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(MASTER_KEY_MISMATCH), r.stderr);
    assert.ok(!r.stdout.includes('Cognate is listening'));
    assert.equal(existsSync(join(dir, 'credentials')), false);
  });
});

describe('master key file', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-keyfile-'));
    try {
      const r = spawnSync(process.execPath, [BIN, 'start', '--port', '0', '--data-dir', dir, ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ...env },
      });
      return { ...r, dir };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'cognate-keys-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a key file others can read, without printing the key', () => {
    const path = keyFile(dir, 'open.key', 0o644);
    const r = run(['--master-key-file', path]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--master-key-file \/ COGNATE_MASTER_KEY_FILE: .*open\.key is readable or writable by others; make it 0600/);
    assert.ok(!r.stderr.includes(readFileSync(path, 'utf8').trim()));
  });

  it('refuses a key file that is not base64 of 32 bytes, and one that is missing', () => {
    const short = join(dir, 'short.key');
    writeFileSync(short, randomBytes(16).toString('base64'), { mode: 0o600 });
    assert.match(run(['--master-key-file', short]).stderr, /short\.key must hold the base64 of 32 bytes/);
    const missing = run(['--master-key-file', join(dir, 'nope.key')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\.key \(ENOENT\)/);
  });

  it('serves with the key from the file, and a database first started with it refuses another key (SQLite too)', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const first = keyFile(dir, 'first.key');
    const started = await startNode(['--data-dir', data, '--master-key-file', first]);
    assert.equal((await fetch(`${started.url}/health`)).status, 200);
    assert.equal(await stopNode(started), 0);
    assert.equal(existsSync(join(data, 'master.key')), false, 'no key is generated when one is given');
    const again = await startNode(['--data-dir', data, '--master-key-file', first]);
    assert.equal(await stopNode(again), 0);
    const r = spawnSync(process.execPath, [BIN, 'start', '--port', '0', '--data-dir', data, '--master-key-file', keyFile(dir, 'second.key')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 2);
    assert.ok(r.stderr.includes(MASTER_KEY_MISMATCH), r.stderr);
  });

  it('refuses COGNATE_MASTER_KEY and a key file together', () => {
    const r = run(['--master-key-file', keyFile(dir, 'both.key')], { COGNATE_MASTER_KEY: randomBytes(32).toString('base64') });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /COGNATE_MASTER_KEY is set too; set only one of them/);
  });
});

/** GET /health on a fresh connection each time (the cluster spreads connections, not requests); the answering worker's pid. */
const workerOf = (url: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const req = request(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.headers['x-cognate-worker'])));
    });
    req.on('error', reject);
    req.end();
  });

/** The workers answering, asked until `want` have answered or `ms` have passed (a worker may still be starting). */
async function workersSeen(url: string, want: number, ms = 30_000): Promise<Set<string>> {
  const seen = new Set<string>();
  const deadline = Date.now() + ms;
  while (seen.size < want && Date.now() < deadline) {
    seen.add(await workerOf(url));
    if (seen.size < want) await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('cognate start --workers 2', () => {
  let dir: string;
  let schema: TestSchema | null = null;
  let primary: Node;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognate-workers-'));
    schema = testDatabase() === 'postgres' ? await createTestSchema() : null;
    primary = await startNode(['--workers', '2', '--data-dir', dir, ...(schema ? ['--database-url', schema.url, '--database-pool-size', '3'] : [])]);
  });
  after(async () => {
    await stopNode(primary);
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves requests from both workers, which share the database', async () => {
    const seen = await workersSeen(primary.url, 2);
    assert.equal(seen.size, 2, `answers came from ${[...seen].join(', ')}`);
    assert.ok(![...seen].includes(String(primary.proc.pid)), 'the primary serves nothing itself');
    const { admin, anon } = clientsFor(primary.url, operatorCredentials(dir));
    try {
      await admin.send(new CreateUserPoolCommand({ PoolName: 'made-by-one-worker' }));
      // Fresh connections (maxAttempts 1, one client per call) land on either worker; every one sees the pool.
      for (let i = 0; i < 4; i++) {
        const c = clientsFor(primary.url, operatorCredentials(dir));
        const names = ((await c.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? []).map((p) => p.Name);
        c.admin.destroy();
        c.anon.destroy();
        assert.deepEqual(names, ['made-by-one-worker']);
      }
    } finally {
      admin.destroy();
      anon.destroy();
    }
  });

  it('a pool change made through one worker applies on the other at once: the primary relays the read-cache clear', async () => {
    const { admin } = clientsFor(primary.url, operatorCredentials(dir));
    /** MinimumLength as DescribeUserPool answers it, from each worker in turn (fresh connections), with the worker that answered. */
    const describeOnWorkers = async (poolId: string) => {
      const answers = new Map<string, number>();
      for (let i = 0; i < 12 && answers.size < 2; i++) {
        const c = clientsFor(primary.url, operatorCredentials(dir));
        let worker = '';
        c.admin.middlewareStack.add(
          (next) => async (args) => {
            const out = await next(args);
            worker = String((out.response as { headers: Record<string, string> }).headers['x-cognate-worker']);
            return out;
          },
          { step: 'deserialize', name: 'whichWorker' },
        );
        const pool = (await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
        answers.set(worker, pool.Policies!.PasswordPolicy!.MinimumLength!);
        c.admin.destroy();
        c.anon.destroy();
      }
      return answers;
    };
    try {
      // Conclusive only when both rounds fit in READ_CACHE_TTL_MS (else the
      // copies would have expired anyway): a slow machine gets more tries.
      let conclusive = false;
      for (let attempt = 0; attempt < 3 && !conclusive; attempt++) {
        const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `relayed-${attempt}` }))).UserPool!.Id!;
        const started = performance.now();
        assert.deepEqual([...(await describeOnWorkers(poolId)).values()], [8, 8]); // both workers now hold the pool in their read caches
        await admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, Policies: { PasswordPolicy: { MinimumLength: 12 } } }));
        await sleep(50); // the IPC hop, far below READ_CACHE_TTL_MS
        assert.deepEqual([...(await describeOnWorkers(poolId)).values()], [12, 12]);
        conclusive = performance.now() - started < READ_CACHE_TTL_MS;
      }
      assert.ok(conclusive, 'every attempt took longer than the cache bound, so none showed the relay');
    } finally {
      admin.destroy();
    }
  });

  it('takes concurrent writes on both workers without a lost or failed request', async () => {
    const { admin } = clientsFor(primary.url, operatorCredentials(dir));
    try {
      const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'busy' }))).UserPool!.Id!;
      // Read-then-write transactions from two processes at once: on SQLite each must wait its turn, not fail.
      const names = Array.from({ length: 40 }, (_, i) => `user${i}`);
      const results = await Promise.allSettled(
        names.map((Username) =>
          admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, TemporaryPassword: 'Temp0rary!x', MessageAction: 'SUPPRESS' })),
        ),
      );
      const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      assert.deepEqual(failed, []);
      const listed = [];
      let token: string | undefined;
      do {
        const page = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60, ...(token ? { PaginationToken: token } : {}) }));
        listed.push(...(page.Users ?? []).map((u) => u.Username));
        token = page.PaginationToken;
      } while (token);
      assert.deepEqual(listed.sort(), [...names].sort());
    } finally {
      admin.destroy();
    }
  });

  it('restarts a worker that is killed, and keeps serving meanwhile', async () => {
    const before = await workersSeen(primary.url, 2);
    assert.equal(before.size, 2);
    const victim = Number([...before][0]);
    process.kill(victim, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (!/Worker 3 started/.test(primary.out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.match(primary.out(), new RegExp(`Worker \\d+ \\(pid ${victim}\\) died \\(SIGKILL\\); starting another`));
    // Only live workers answer; once the replacement listens, two answer again.
    const after = await workersSeen(primary.url, 3, 3000);
    assert.ok(!after.has(String(victim)));
    const replaced = await workersSeen(primary.url, 2);
    assert.equal(replaced.size, 2, `answers came from ${[...replaced].join(', ')}`);
    assert.ok(!replaced.has(String(victim)));
    assert.equal(alive(victim), false);
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const pids = [...(await workersSeen(primary.url, 2))].map(Number);
    primary.proc.kill('SIGTERM');
    assert.equal(await primary.exited, 0);
    for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} has exited`);
  });
});
