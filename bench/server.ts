// Server benchmark: Cognate on SQLite, Cognate on PostgreSQL and cognito-local
// (the npm package) under the same load, in one run, beside the CPU ceilings
// of the work a sign-in and a refresh cannot avoid, then sign-in and
// ListUsers latency with 1,000 and with 1,000,000 users in one pool.
//
//   flows     SignUp, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, GetUser,
//             AdminGetUser, ListUsers (Filter email = "…"), raw HTTP over
//             keep-alive sockets at a fixed concurrency; operator calls are
//             SigV4-signed for Cognate (cognito-local takes them unsigned).
//             Every server is a child process started here and warmed up.
//   ceilings  argon2id hashes/s with Cognate's own parameters
//             (crypto/passwords.ts), as concurrent @node-rs/argon2 calls on
//             libuv's threadpool, as the server makes them; RS256
//             signatures/s through node:crypto, the better of one thread
//             (sync) and the threadpool (callback form), same concurrency;
//             measured by bench/ceilings.ts in a process of its own for each
//             threadpool size (Node's default 4, and one per core as
//             `cognate start` runs), the best kept.
//   scale     one server and database per size (1,000 and 1,000,000 users
//             in one pool), seeded straight through the Store (batched
//             multi-row inserts in transactions, ONE precomputed argon2id
//             hash for everyone); latency at concurrency 1, the sizes
//             taking turns in every round; the server's VmRSS.
//
// Contenders and ceilings take turns in each round (order rotating) and every
// ratio is taken within a round, then the median over rounds is printed: on a
// shared machine that is far steadier than comparing medians taken minutes
// apart. Run: npm run bench:server  (npx tsx bench/server.ts --quick for a
// smoke run; --help lists the options).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { sql } from 'kysely';
import pg from 'pg';
import { hashPassword } from '../packages/server/src/crypto/passwords.ts';
import { MasterKey } from '../packages/server/src/crypto/master-key.ts';
import { openDatabase } from '../packages/server/src/store/open.ts';
import { Store } from '../packages/server/src/store/store.ts';
import { rate } from './rate.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const has = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
if (has('help')) {
  console.log(`npx tsx bench/server.ts [--quick] [--rounds N] [--concurrency N] [--heavy N] [--light N]
  [--contenders sqlite,sqlite-x2,postgres,cognito-local,floor] (-xN: cognate start --workers N; floor: bare Fastify, fixed answers) [--no-side-by-side] [--scale 1000,1000000] [--scale-db sqlite,postgres] [--no-scale]
  [--flows SignUp,USER_PASSWORD_AUTH,...] [--database-url postgres://postgres@127.0.0.1:5432/test]
  [--cpu-prof DIR]  (Cognate processes write V8 CPU profiles there when they stop)
  [--baseline DIR]  (contenders sqlite@base, postgres@base, …: Cognate from that checkout, e.g. git archive of an earlier commit)`);
  process.exit(0);
}
const QUICK = has('quick');
const ROUNDS = Number(opt('rounds', QUICK ? '2' : '5'));
const CONCURRENCY = Number(opt('concurrency', '8'));
/** Requests per round for the flows that hash a password (SignUp, sign-in), and for the rest. */
const HEAVY = Number(opt('heavy', QUICK ? '24' : '200'));
const LIGHT = Number(opt('light', QUICK ? '200' : '1000'));
let CONTENDERS = opt('contenders', 'sqlite,sqlite-x2,postgres,cognito-local').split(',');
const SCALE = has('no-scale')
  ? []
  : opt('scale', QUICK ? '1000,20000' : '1000,1000000')
      .split(',')
      .map(Number);
let SCALE_DBS = opt('scale-db', 'sqlite,postgres').split(',');
const SCALE_SAMPLES = QUICK ? 20 : 200;
const PG_URL = opt('database-url', process.env['COGNATE_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test');
const CPU_PROF = opt('cpu-prof', '');
/** Another checkout of Cognate (its dependencies installed or linked), run by the contenders `sqlite@base`, `postgres@base`: before and after in one run. */
const BASELINE = opt('baseline', '');
const ONLY_FLOWS = opt('flows', '');
const PASSWORD = 'Bench!Passw0rd';
const SIGN_IN_USERS = 32;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- HTTP client

type Json = Record<string, unknown>;

interface Target {
  name: string;
  port: number;
  /** Signs operator calls (Cognate); cognito-local takes them unsigned. */
  signer: SignatureV4 | null;
  agent: Agent;
  proc: ChildProcess;
  stop(): Promise<void>;
}

async function call(t: Target, op: string, body: Json, operator = false): Promise<Json> {
  const payload = JSON.stringify(body);
  let headers: Record<string, string> = {
    host: `127.0.0.1:${t.port}`,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
  };
  if (operator && t.signer) {
    const signed = await t.signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: t.port,
      path: '/',
      query: {},
      headers,
      body: payload,
    });
    headers = signed.headers;
  }
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: t.port,
        method: 'POST',
        path: '/',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) },
        agent: t.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Json;
          try {
            json = text ? (JSON.parse(text) as Json) : {};
          } catch {
            return reject(new Error(`${t.name} ${op}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
          }
          if (res.statusCode !== 200) return reject(new Error(`${t.name} ${op}: HTTP ${res.statusCode} ${String(json['__type'])} ${String(json['message'])}`));
          resolve(json);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------- servers

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Every server still running, so an interrupted run (Ctrl-C) still stops them and drops its PostgreSQL schemas. */
const running = new Set<() => Promise<void>>();
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  process.stderr.write('\ninterrupted: stopping servers\n');
  void Promise.allSettled([...running].map((stop) => stop())).then((results) => {
    for (const r of results) if (r.status === 'rejected') process.stderr.write(`cleanup failed: ${String(r.reason)}\n`);
    process.exit(130);
  });
});

function stopper(proc: ChildProcess, cleanup: () => Promise<void> | void): () => Promise<void> {
  const stop = async () => {
    running.delete(stop);
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    await cleanup();
  };
  running.add(stop);
  return stop;
}

/** Resolves with the child's first stdout line matching `pattern`, or rejects if it exits first. */
function waitForLine(proc: ChildProcess, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let err = '';
    proc.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    proc.stdout?.on('data', (c: Buffer) => {
      seen += c.toString();
      const m = seen.match(pattern);
      if (m) resolve(m);
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    });
    proc.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready: ${err}`)));
  });
}

interface CognateServer extends Target {
  dataDir: string;
  databaseUrl: string | null;
  master: MasterKey;
}

/** Cognate on `kind`; `workers` > 1 runs `cognate start --workers N` (node:cluster, one port). */
async function startCognate(kind: 'sqlite' | 'postgres', workers = 1, root = ROOT): Promise<CognateServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `cognate-bench-${kind}-`));
  const masterKey = randomBytes(32).toString('base64');
  let databaseUrl: string | null = null;
  let dropSchema = async () => {};
  if (kind === 'postgres') {
    const schema = `cognate_bench_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(4).toString('hex')}`;
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    databaseUrl = url.toString();
    dropSchema = () => pgAdmin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
  const args = ['packages/server/bin/cognate.cjs', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'silent'];
  if (databaseUrl) args.push('--database-url', databaseUrl);
  if (workers > 1) args.push('--workers', String(workers));
  if (CPU_PROF) args.unshift('--cpu-prof', '--cpu-prof-dir', CPU_PROF);
  const proc = spawn(process.execPath, args, { cwd: root, env: { ...process.env, COGNATE_MASTER_KEY: masterKey }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = stopper(proc, async () => {
    await dropSchema();
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const m = await waitForLine(proc, /listening on port (\d+)/, `Cognate (${kind})`);
    const port = Number(m[1]);
    const ini = readFileSync(join(dataDir, 'credentials'), 'utf8');
    const accessKeyId = /aws_access_key_id = (\S+)/.exec(ini)![1]!;
    const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(ini)![1]!;
    const signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region: 'us-east-1',
      service: 'cognito-idp',
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: true,
      applyChecksum: false,
    });
    const name = `Cognate ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${workers > 1 ? ` ×${workers} workers` : ''}${root === ROOT ? '' : ' (baseline)'}`;
    return {
      name,
      port,
      signer,
      agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
      proc,
      stop,
      dataDir,
      databaseUrl,
      master: MasterKey.fromBytes(Buffer.from(masterKey, 'base64')),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startCognitoLocal(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-local-bench-'));
  const port = await freePort();
  const proc = spawn(join(ROOT, 'node_modules/.bin/cognito-local'), [], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // It prints every confirmation code: drain its output so it never blocks on a full pipe.
  proc.stdout!.resume();
  proc.stderr!.resume();
  const t: Target = {
    name: 'cognito-local',
    port,
    signer: null,
    agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
    proc,
    stop: stopper(proc, () => rmSync(dir, { recursive: true, force: true })),
  };
  for (let i = 0; ; i++) {
    try {
      await call(t, 'ListUserPools', { MaxResults: 1 });
      return t;
    } catch (err) {
      if (i > 150 || proc.exitCode !== null) {
        await t.stop();
        throw new Error(`cognito-local did not start: ${String(err)}`);
      }
      await sleep(200);
    }
  }
}

/** bench/floor-server.ts: bare Fastify answering fixed bodies, the HTTP stack's own cost on this machine. */
async function startFloor(): Promise<Target> {
  const args = ['--import', 'tsx', join(ROOT, 'bench/floor-server.ts')];
  if (CPU_PROF) args.unshift('--cpu-prof', '--cpu-prof-dir', CPU_PROF);
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = stopper(proc, () => {});
  try {
    const m = await waitForLine(proc, /listening on port (\d+)/, 'floor');
    return { name: 'floor (bare Fastify)', port: Number(m[1]), signer: null, agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }), proc, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function pgAdmin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- the flows

interface Prepared {
  target: Target;
  poolId: string;
  clientId: string;
  users: { username: string; email: string; access: string; refresh: string }[];
  signUps: number;
}

/** cognito-local's pools default to email as username, so the side-by-side pools use it on every contender; the scale pool plain usernames. */
async function createPoolAndClient(t: Target, emailAsUsername: boolean): Promise<{ poolId: string; clientId: string }> {
  const pool = await call(t, 'CreateUserPool', { PoolName: 'loadtest', ...(emailAsUsername ? { UsernameAttributes: ['email'] } : {}) }, true);
  const poolId = String((pool['UserPool'] as Json)['Id']);
  const client = await call(
    t,
    'CreateUserPoolClient',
    { UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    true,
  );
  return { poolId, clientId: String((client['UserPoolClient'] as Json)['ClientId']) };
}

const passwordAuth = (p: { target: Target; clientId: string }, username: string) =>
  call(p.target, 'InitiateAuth', { ClientId: p.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } });

async function prepare(t: Target): Promise<Prepared> {
  const { poolId, clientId } = await createPoolAndClient(t, true);
  const p: Prepared = { target: t, poolId, clientId, users: [], signUps: 0 };
  for (let i = 0; i < SIGN_IN_USERS; i++) {
    const email = `bench${i}@bench.example`;
    const username = email;
    await call(
      t,
      'AdminCreateUser',
      { UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }] },
      true,
    );
    await call(t, 'AdminSetUserPassword', { UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }, true);
    const result = (await passwordAuth(p, username))['AuthenticationResult'] as Json;
    p.users.push({ username, email, access: String(result['AccessToken']), refresh: String(result['RefreshToken']) });
  }
  // Warm-up: every flow a few times, so no contender pays for first-call compilation or cold caches in round one.
  for (const flow of FLOWS) for (let i = 0; i < 5; i++) await flow.run(p, i);
  return p;
}

interface Flow {
  name: string;
  heavy: boolean;
  run(p: Prepared, i: number): Promise<unknown>;
}

const ALL_FLOWS: Flow[] = [
  {
    name: 'SignUp',
    heavy: true,
    run: (p) => {
      const n = p.signUps++;
      return call(p.target, 'SignUp', {
        ClientId: p.clientId,
        Username: `signup${n}@bench.example`,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: `signup${n}@bench.example` }],
      });
    },
  },
  { name: 'USER_PASSWORD_AUTH', heavy: true, run: (p, i) => passwordAuth(p, p.users[i % p.users.length]!.username) },
  {
    name: 'REFRESH_TOKEN_AUTH',
    heavy: false,
    run: (p, i) =>
      call(p.target, 'InitiateAuth', {
        ClientId: p.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: p.users[i % p.users.length]!.refresh },
      }),
  },
  { name: 'GetUser', heavy: false, run: (p, i) => call(p.target, 'GetUser', { AccessToken: p.users[i % p.users.length]!.access }) },
  {
    name: 'AdminGetUser',
    heavy: false,
    run: (p, i) => call(p.target, 'AdminGetUser', { UserPoolId: p.poolId, Username: p.users[i % p.users.length]!.username }, true),
  },
  {
    name: 'ListUsers (filter)',
    heavy: false,
    run: async (p, i) => {
      const u = p.users[i % p.users.length]!;
      const res = await call(p.target, 'ListUsers', { UserPoolId: p.poolId, Filter: `email = "${u.email}"`, Limit: 10 }, true);
      if ((res['Users'] as unknown[]).length !== 1) throw new Error(`${p.target.name} ListUsers: expected one user`);
    },
  },
];

const FLOWS = ONLY_FLOWS ? ALL_FLOWS.filter((f) => ONLY_FLOWS.split(',').includes(f.name)) : ALL_FLOWS;
/** The ceilings are what sign-in and refresh are held to: measured only when one of them runs. */
const NEED_CEILINGS = FLOWS.some((f) => f.name === 'USER_PASSWORD_AUTH' || f.name === 'REFRESH_TOKEN_AUTH');

// ---------------------------------------------------------------- ceilings

interface Ceiling {
  perSecond: number;
  /** CPU time of one operation (one thread), in ms. */
  cpuMs: number;
}

/** Threadpool sizes the ceilings are measured with: Node's default and one per core (what `cognate start` runs). */
const POOL_SIZES = [...new Set([4, (await import('node:os')).availableParallelism()])];

/**
 * The argon2id and RS256 ceilings (bench/ceilings.ts), measured once per
 * threadpool size in a fresh process, the best of them kept.
 */
async function ceilings(hashes: number, signatures: number): Promise<{ argon2: Ceiling; rs256: Ceiling }> {
  const runs: { argon2: Ceiling; rs256: Ceiling }[] = [];
  for (const size of POOL_SIZES) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/ceilings.ts'), String(hashes), String(signatures), String(CONCURRENCY)], {
      cwd: ROOT,
      env: { ...process.env, UV_THREADPOOL_SIZE: String(size) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    if (code !== 0) throw new Error(`bench/ceilings.ts exited with ${code}`);
    runs.push(JSON.parse(out) as { argon2: Ceiling; rs256: Ceiling });
  }
  const best = (pick: (r: { argon2: Ceiling; rs256: Ceiling }) => Ceiling): Ceiling => runs.map(pick).reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return { argon2: best((r) => r.argon2), rs256: best((r) => r.rs256) };
}

// ---------------------------------------------------------------- side by side

async function sideBySide(): Promise<void> {
  const targets: Target[] = [];
  try {
    for (const c of CONTENDERS) {
      const cognate = /^(sqlite|postgres)(?:-x(\d+))?(@base)?$/.exec(c);
      if (cognate?.[3] && !BASELINE) throw new Error(`${c} needs --baseline DIR`);
      if (cognate) targets.push(await startCognate(cognate[1] as 'sqlite' | 'postgres', Number(cognate[2] ?? 1), cognate[3] ? BASELINE : ROOT));
      else if (c === 'cognito-local') targets.push(await startCognitoLocal());
      else if (c === 'floor') targets.push(await startFloor());
      else throw new Error(`unknown contender ${c}`);
    }
    const prepared = [];
    for (const t of targets) prepared.push(await prepare(t));

    /** rates[target][flow][round] */
    const rates = prepared.map(() => FLOWS.map(() => [] as number[]));
    const cpu = prepared.map(() => FLOWS.map(() => [] as number[]));
    // The load generator (this process) shares the machine: its CPU per request is printed too.
    const loadCpu = prepared.map(() => FLOWS.map(() => [] as number[]));
    const argon2: Ceiling[] = [];
    const rs256: Ceiling[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (NEED_CEILINGS) {
        const ceiling = await ceilings(Math.max(CONCURRENCY, HEAVY / 2), LIGHT / 2);
        argon2.push(ceiling.argon2);
        rs256.push(ceiling.rs256);
      }
      for (let k = 0; k < prepared.length; k++) {
        const j = (k + round) % prepared.length;
        const p = prepared[j]!;
        for (const [f, flow] of FLOWS.entries()) {
          const n = flow.heavy ? HEAVY : LIGHT;
          const before = cpuMs(p.target.proc.pid!);
          const own = process.cpuUsage();
          rates[j]![f]!.push(await rate(n, CONCURRENCY, (i) => flow.run(p, i)));
          cpu[j]![f]!.push((cpuMs(p.target.proc.pid!) - before) / n);
          const used = process.cpuUsage(own);
          loadCpu[j]![f]!.push((used.user + used.system) / 1000 / n);
        }
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
    }

    console.log(`\n## Side by side: requests/s, median of ${ROUNDS} rounds, ${CONCURRENCY} in flight, keep-alive`);
    console.log(`(${HEAVY} requests per round for SignUp and USER_PASSWORD_AUTH, ${LIGHT} for the others)\n`);
    const local = targets.findIndex((t) => t.name === 'cognito-local');
    const header = [
      'Flow',
      ...targets.map((t) => t.name),
      ...(local >= 0 ? targets.filter((_, j) => j !== local).map((t) => `${t.name} / cognito-local`) : []),
    ];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
    for (const [f, flow] of FLOWS.entries()) {
      const cells = [flow.name, ...targets.map((_, j) => fmt(median(rates[j]![f]!)))];
      if (local >= 0) {
        for (let j = 0; j < targets.length; j++) {
          if (j === local) continue;
          // Paired within each round, then the median.
          cells.push(`${fmt(median(rates[j]![f]!.map((r, round) => r / rates[local]![f]![round]!)), 2)}x`);
        }
      }
      console.log(`| ${cells.join(' | ')} |`);
    }

    console.log(`\n## Server CPU time per request, ms (user + system, all threads; median of ${ROUNDS} rounds; 10 ms clock ticks)\n`);
    console.log(`| Flow | ${targets.map((t) => t.name).join(' | ')} |`);
    console.log(`| --- | ${targets.map(() => '---:').join(' | ')} |`);
    for (const [f, flow] of FLOWS.entries()) console.log(`| ${flow.name} | ${targets.map((_, j) => fmt(median(cpu[j]![f]!), 2)).join(' | ')} |`);
    console.log(`\n## Load generator CPU time per request, ms (this process, on the same cores as the server; median of ${ROUNDS} rounds)\n`);
    console.log(`| Flow | ${targets.map((t) => t.name).join(' | ')} |`);
    console.log(`| --- | ${targets.map(() => '---:').join(' | ')} |`);
    for (const [f, flow] of FLOWS.entries()) console.log(`| ${flow.name} | ${targets.map((_, j) => fmt(median(loadCpu[j]![f]!), 2)).join(' | ')} |`);
    if (!NEED_CEILINGS) return;
    console.log(
      `\n## CPU ceilings (bench/ceilings.ts in a process of its own per threadpool size, ${POOL_SIZES.join(' and ')} threads, the better kept; ${CONCURRENCY} in flight, median of ${ROUNDS} rounds)\n`,
    );
    const argon2Rate = median(argon2.map((c) => c.perSecond));
    const rs256Rate = median(rs256.map((c) => c.perSecond));
    console.log(`argon2id (m=19456, t=2, p=1) hashes/s: ${fmt(argon2Rate)} (CPU ${fmt(median(argon2.map((c) => c.cpuMs)), 2)} ms a hash)`);
    console.log(
      `RS256 (2048-bit) signatures/s: ${fmt(rs256Rate)} (CPU ${fmt(median(rs256.map((c) => c.cpuMs)), 3)} ms a signature); one refresh signs two tokens (access, ID): ceiling ${fmt(rs256Rate / 2)} refreshes/s\n`,
    );
    console.log(
      "Fractions by rate (throughput / ceiling, paired by round) and by CPU time (the unavoidable work's CPU / the server's CPU per request: what the rate fraction would be on an otherwise idle machine if the server were CPU-bound).\n",
    );
    const signIn = FLOWS.findIndex((f) => f.name === 'USER_PASSWORD_AUTH');
    const refresh = FLOWS.findIndex((f) => f.name === 'REFRESH_TOKEN_AUTH');
    console.log(
      '| Contender | USER_PASSWORD_AUTH / argon2id ceiling (target >= 0.8) | by CPU time | REFRESH_TOKEN_AUTH / RS256 ceiling (target >= 0.6) | by CPU time |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [j, t] of targets.entries()) {
      if (!t.signer || signIn < 0 || refresh < 0) continue;
      const a = median(rates[j]![signIn]!.map((r, round) => r / argon2[round]!.perSecond));
      const s = median(rates[j]![refresh]!.map((r, round) => r / (rs256[round]!.perSecond / 2)));
      const aCpu = median(cpu[j]![signIn]!.map((c, round) => argon2[round]!.cpuMs / c));
      const sCpu = median(cpu[j]![refresh]!.map((c, round) => (2 * rs256[round]!.cpuMs) / c));
      console.log(
        `| ${t.name} | ${fmt(a, 2)}${a >= 0.8 ? '' : ' (missed)'} | ${fmt(aCpu, 2)} | ${fmt(s, 2)}${s >= 0.6 ? '' : ' (missed)'} | ${fmt(sCpu, 2)} |`,
      );
    }
  } finally {
    for (const t of targets) {
      t.agent.destroy();
      await t.stop();
    }
  }
}

// ---------------------------------------------------------------- scale

/**
 * Adds users `from` .. `to - 1` (`user<i>`, `user<i>@scale.example`,
 * CONFIRMED) straight through the Store, in batched transactions. Everyone
 * shares one argon2id hash. SRP verifiers are left out: a verifier is bound
 * to the username and sealed to the user's row, so none can be shared, and
 * computing a million takes minutes; the sampled users get theirs from the
 * server at their warm-up sign-in, as users who predate verifiers do.
 */
async function seed(store: Store, poolId: string, from: number, to: number, hash: string, createdBase: number): Promise<void> {
  const BATCH = 400; // 17 bind parameters a user row, 5 an attribute row: well under SQLite's 32,766
  const PER_TX = 20;
  for (let start = from; start < to; start += BATCH * PER_TX) {
    await store.transaction(async (tx) => {
      for (let b = start; b < Math.min(to, start + BATCH * PER_TX); b += BATCH) {
        const users = [];
        const attrs = [];
        for (let i = b; i < Math.min(to, b + BATCH); i++) {
          const sub = randomUUID();
          const at = createdBase + i;
          users.push({
            sub,
            pool_id: poolId,
            username: `user${i}`,
            username_key: `user${i}`,
            status: 'CONFIRMED',
            enabled: 1,
            password_hash: hash,
            srp_salt: null,
            srp_verifier_sealed: null,
            password_changed_at: at,
            temp_password_expires_at: null,
            failed_attempts: 0,
            consecutive_failures: 0,
            last_failed_at: null,
            locked_until: null,
            created_at: at,
            updated_at: at,
          });
          const email = `user${i}@scale.example`;
          attrs.push({ sub, pool_id: poolId, name: 'sub', value: sub, value_key: sub });
          attrs.push({ sub, pool_id: poolId, name: 'email', value: email, value_key: email });
          attrs.push({ sub, pool_id: poolId, name: 'email_verified', value: 'true', value_key: 'true' });
        }
        await tx.db.insertInto('users').values(users).execute();
        await tx.db.insertInto('user_attributes').values(attrs).execute();
      }
    });
  }
}

/** A process and its descendants (the workers of `cognate start --workers N`). */
function family(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone, or a kernel without the children file: the process alone
  }
  return [pid, ...children.flatMap(family)];
}

/** CPU time (user + system, every thread, workers included) a server has used so far, in ms: steadier than rates on a shared machine. */
function cpuMs(pid: number): number {
  let ms = 0;
  for (const p of family(pid)) {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those, in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  }
  return ms;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** One database of `users` users behind its own server, ready to measure. */
interface ScaleSubject {
  users: number;
  server: CognateServer;
  poolId: string;
  clientId: string;
  sample: number[];
  seedSeconds: number;
  /** Latencies in ms by measure, every round's together, and each round's median. */
  ms: number[][];
  roundMedians: number[][];
}

const MEASURES: { name: string; perRound: number; run: (s: ScaleSubject, i: number) => Promise<unknown> }[] = [
  { name: 'USER_PASSWORD_AUTH', perRound: QUICK ? 5 : 20, run: (s, i) => passwordAuth({ target: s.server, clientId: s.clientId }, `user${i}`) },
  {
    name: 'ListUsers email = (exact)',
    perRound: QUICK ? 10 : 40,
    run: async (s, i) => {
      const res = await call(s.server, 'ListUsers', { UserPoolId: s.poolId, Filter: `email = "user${i}@scale.example"` }, true);
      if ((res['Users'] as unknown[]).length !== 1) throw new Error('ListUsers: expected one user');
    },
  },
  // A prefix match reads an index range (store/users.ts); kept to few samples all the same.
  {
    name: 'ListUsers email ^= (prefix)',
    perRound: QUICK ? 2 : 4,
    run: (s, i) => call(s.server, 'ListUsers', { UserPoolId: s.poolId, Filter: `email ^= "user${i}@"`, Limit: 10 }, true),
  },
  { name: 'ListUsers first page, no filter', perRound: QUICK ? 4 : 8, run: (s) => call(s.server, 'ListUsers', { UserPoolId: s.poolId, Limit: 60 }, true) },
];

async function scaleSubject(kind: 'sqlite' | 'postgres', users: number): Promise<ScaleSubject> {
  const server = await startCognate(kind);
  try {
    const { poolId, clientId } = await createPoolAndClient(server, false);
    const hash = await hashPassword(PASSWORD);
    const { db } = await openDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, databasePoolSize: 2, databaseTimeoutSeconds: 60 });
    const store = new Store(db, server.master);
    const t = performance.now();
    try {
      await seed(store, poolId, 0, users, hash, Date.now() - 365 * 86400_000);
      // Fresh statistics, as a maintained database has them (Cognate on SQLite
      // refreshes its own hourly and at start: store/sqlite-statistics.ts).
      await sql`ANALYZE`.execute(db);
    } finally {
      await store.close();
    }
    const seedSeconds = (performance.now() - t) / 1000;
    process.stderr.write(`${server.name}: ${users} users seeded (${fmt(seedSeconds)} s)\n`);
    // The server closed the keep-alive sockets left idle during a long seeding
    // (its keep-alive timeout): start measuring on fresh ones.
    server.agent.destroy();
    server.agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    // Samples spread over the whole pool, oldest to newest.
    const sample = Array.from({ length: SCALE_SAMPLES }, (_, i) => Math.floor(((i + 0.5) * users) / SCALE_SAMPLES));
    const s: ScaleSubject = { users, server, poolId, clientId, sample, seedSeconds, ms: MEASURES.map(() => []), roundMedians: MEASURES.map(() => []) };
    // Warm-up: the sampled users' first sign-in stores their SRP verifiers; a few of each measure warm the caches.
    for (const i of sample) await MEASURES[0]!.run(s, i);
    for (const m of MEASURES.slice(1)) for (const i of sample.slice(0, 3)) await m.run(s, i);
    return s;
  } catch (err) {
    server.agent.destroy();
    await server.stop();
    throw err;
  }
}

/**
 * One server per size, each on its own database, all running; the sizes take
 * turns in every round (order rotating), so a noisy moment hits them alike,
 * and each ratio to the smallest size is the median of per-round ratios.
 */
async function scale(kind: 'sqlite' | 'postgres'): Promise<void> {
  const subjects: ScaleSubject[] = [];
  try {
    for (const users of SCALE) subjects.push(await scaleSubject(kind, users));
    const cursor = MEASURES.map(() => 0);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < subjects.length; k++) {
        const s = subjects[(k + round) % subjects.length]!;
        for (const [m, measure] of MEASURES.entries()) {
          const ms: number[] = [];
          for (let n = 0; n < measure.perRound; n++) {
            const i = s.sample[(cursor[m]! + n) % s.sample.length]!;
            const t0 = performance.now();
            await measure.run(s, i);
            ms.push(performance.now() - t0);
          }
          s.ms[m]!.push(...ms);
          s.roundMedians[m]!.push(median(ms));
        }
      }
      for (const [m, measure] of MEASURES.entries()) cursor[m] = cursor[m]! + measure.perRound;
    }
    const rss = subjects.map((s) => rssMiB(s.server.proc.pid!));
    const base = subjects[0]!;
    const big = subjects.at(-1)!;
    const label = (n: number) => `${n.toLocaleString('en')} users`;
    console.log(
      `\n## Scale: ${base.server.name}, latency in ms at concurrency 1 (median / p99 over ${ROUNDS} rounds; one server and database per size, measured in turns)\n`,
    );
    console.log(
      `| Measure | ${subjects.map((s) => label(s.users)).join(' | ')} | ${big.users.toLocaleString('en')} / ${base.users.toLocaleString('en')} (paired medians, target <= 1.2) |`,
    );
    console.log(`| --- | ${subjects.map(() => '---:').join(' | ')} | ---: |`);
    for (const [m, measure] of MEASURES.entries()) {
      const cells = subjects.map((s) => `${fmt(median(s.ms[m]!), 2)} / ${fmt(quantile(s.ms[m]!, 0.99), 2)}`);
      const ratio = median(big.roundMedians[m]!.map((v, r) => v / base.roundMedians[m]![r]!));
      console.log(`| ${measure.name} | ${cells.join(' | ')} | ${fmt(ratio, 2)}x${ratio <= 1.2 ? '' : ' (missed)'} |`);
    }
    console.log(`| Server resident memory (VmRSS, MiB) | ${rss.map((r) => fmt(r, 0)).join(' | ')} | |`);
    console.log(`| Seeding time (s, through the Store) | ${subjects.map((s) => fmt(s.seedSeconds, 1)).join(' | ')} | |`);
  } finally {
    for (const s of subjects) {
      s.server.agent.destroy();
      await s.server.stop();
    }
  }
}

// ---------------------------------------------------------------- main

console.log(`# Cognate server benchmark${QUICK ? ' (--quick: smoke-run sizes, numbers not meaningful)' : ''}`);
console.log(
  `Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs (${(await import('node:os')).cpus()[0]?.model ?? '?'}), load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${new Date().toISOString()}`,
);
if (CONTENDERS.some((c) => c.startsWith('postgres')) || SCALE_DBS.includes('postgres')) {
  try {
    await pgAdmin('SELECT 1');
  } catch (err) {
    const banner = '!'.repeat(78);
    console.error(`${banner}\n!! PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} is unreachable (${(err as Error).message}): SKIPPING it\n${banner}`);
    CONTENDERS = CONTENDERS.filter((c) => !c.startsWith('postgres'));
    SCALE_DBS = SCALE_DBS.filter((c) => c !== 'postgres');
  }
}
try {
  if (!has('no-side-by-side')) await sideBySide();
  for (const kind of SCALE_DBS) if (SCALE.length >= 1 && (kind === 'sqlite' || kind === 'postgres')) await scale(kind);
} catch (err) {
  // Once interrupted, requests to stopping servers fail: the SIGINT handler finishes the cleanup and exits.
  if (!interrupted) throw err;
  await new Promise(() => {});
}
