// What Lambda triggers cost a sign-up (issue: Lambda triggers, "Performance":
// with triggers, a sign-up costs at most 10% more than without).
//
//   sign-up   SignUp (one argon2id hash) + AdminConfirmSignUp, per second, 8 in
//             flight, through the SDK
//   plain     a pool with no LambdaConfig
//   triggers  a pool whose PreSignUp and PostConfirmation are local modules
//             (the functions file) that return the event unchanged: each
//             sign-up runs both, each in its worker thread
//
// One `cognate start` on SQLite serves both pools, so the two differ only in
// the triggers. Rounds alternate which goes first; the cost printed is the
// median of per-round ratios (plain rate / triggers rate), held against 1.10.
//
// The run checks that the triggers really run: a probe sign-up that the
// PreSignUp module refuses must fail with UserLambdaValidationException, and a
// probe confirmation that PostConfirmation refuses likewise. When they do not
// (the hooks are not in this build), it says so loudly and the cost printed is
// that of nothing.
//
// Usage: npx tsx bench/triggers.ts [--rounds 5] [--signups 200] [--concurrency 8]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type LambdaConfigType,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { rate } from './rate.ts';

const ROOT = join(import.meta.dirname, '..');
const opt = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const ROUNDS = Number(opt('rounds', '5'));
const SIGNUPS = Number(opt('signups', '200'));
const CONCURRENCY = Number(opt('concurrency', '8'));
const TARGET = 1.1;
const PASSWORD = 'Kx7#mQ2!vLp9-zR';
const PROBE_SIGN_UP = 'probe-refused-sign-up';
const PROBE_CONFIRM = 'probe-refused-confirmation';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

// The functions: return the event as it came, except for the probes' users.
const functionsDir = mkdtempSync(join(tmpdir(), 'cognate-bench-triggers-'));
const refuse = (userName: string) =>
  `export const handler = async (event) => { if (event.userName === '${userName}') throw new Error('probe'); return event; };\n`;
writeFileSync(join(functionsDir, 'pre-sign-up.mjs'), refuse(PROBE_SIGN_UP));
writeFileSync(join(functionsDir, 'post-confirmation.mjs'), refuse(PROBE_CONFIRM));
const functionsFile = join(functionsDir, 'functions.json');
writeFileSync(
  functionsFile,
  JSON.stringify({ functions: { 'pre-sign-up': { module: './pre-sign-up.mjs' }, 'post-confirmation': { module: './post-confirmation.mjs' } } }),
);

function waitForPort(proc: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => reject(new Error(`cognate exited with ${code}: ${out}`)));
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'cognate-bench-triggers-data-'));
const proc = spawn(
  process.execPath,
  [
    'packages/server/bin/cognate.cjs',
    'start',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    dataDir,
    '--log-level',
    'silent',
    '--functions',
    functionsFile,
  ],
  { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
);
try {
  const base = `http://localhost:${await waitForPort(proc)}`;
  const ini = readFileSync(join(dataDir, 'credentials'), 'utf8');
  const credentials = { accessKeyId: /aws_access_key_id = (\S+)/.exec(ini)![1]!, secretAccessKey: /aws_secret_access_key = (\S+)/.exec(ini)![1]! };
  const admin = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: base, credentials, maxAttempts: 1 });
  const anon = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: base,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    signer: { sign: async (request) => request },
    maxAttempts: 1,
  });

  /** A pool (no verification message: SignUp sends no mail) and its client. */
  const contender = async (name: string, lambdaConfig: LambdaConfigType) => {
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: name, LambdaConfig: lambdaConfig }))).UserPool!.Id!;
    const clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: name }))).UserPoolClient!.ClientId!;
    const signUp = async (username: string) => {
      await anon.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));
      await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }));
    };
    return { name, signUp };
  };
  const plain = await contender('plain', {});
  const triggers = await contender('triggers', { PreSignUp: arn('pre-sign-up'), PostConfirmation: arn('post-confirmation') });

  // Do the triggers run? (The probes' refusals must come back as Cognito's error.)
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => false,
      (err: Error) => err.name === 'UserLambdaValidationException',
    );
  const preSignUpRuns = await refused(triggers.signUp(PROBE_SIGN_UP));
  const postConfirmationRuns = await refused(triggers.signUp(PROBE_CONFIRM));
  if (!preSignUpRuns || !postConfirmationRuns) {
    const banner = '!'.repeat(78);
    console.error(
      `\n${banner}\n!! ${[!preSignUpRuns && 'PreSignUp', !postConfirmationRuns && 'PostConfirmation'].filter(Boolean).join(' and ')} did not run: this build does not invoke them.\n!! The "triggers" contender pays for nothing it should; its cost below means nothing.\n${banner}\n`,
    );
  }

  // Warm-up: code paths, the worker threads, SQLite's caches.
  for (const c of [plain, triggers]) for (let i = 0; i < 20; i++) await c.signUp(`warm-${c.name}-${i}`);

  const rates: Record<string, number[]> = { plain: [], triggers: [] };
  const costs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [plain, triggers] : [triggers, plain];
    for (const c of order) rates[c.name]!.push(await rate(SIGNUPS, CONCURRENCY, (i) => c.signUp(`r${round}-${c.name}-${i}`)));
    costs.push(rates['plain']![round]! / rates['triggers']![round]!);
    console.error(
      `round ${round + 1}: plain ${rates['plain']![round]!.toFixed(1)}/s, with triggers ${rates['triggers']![round]!.toFixed(1)}/s, cost ${costs[round]!.toFixed(3)}`,
    );
  }
  const cost = median(costs);
  const ran = preSignUpRuns && postConfirmationRuns ? '' : ' (TRIGGERS NOT INVOKED: see above)';
  console.log(`\n## Sign-up with and without Lambda triggers (Cognate on SQLite, ${CONCURRENCY} in flight, median of ${ROUNDS} rounds)\n`);
  console.log('| Pool | Sign-ups/s (SignUp + AdminConfirmSignUp) |');
  console.log('| --- | ---: |');
  console.log(`| no triggers | ${median(rates['plain']!).toFixed(1)} |`);
  console.log(`| PreSignUp + PostConfirmation as local modules${ran} | ${median(rates['triggers']!).toFixed(1)} |`);
  console.log(
    `\nCost of the triggers: ${cost.toFixed(3)}x the time of a sign-up without them (target <= ${TARGET.toFixed(2)}): ${cost <= TARGET ? 'MET' : 'MISSED'}${ran}`,
  );
  admin.destroy();
  anon.destroy();
} finally {
  proc.kill('SIGTERM');
  await new Promise((resolve) => proc.on('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(functionsDir, { recursive: true, force: true });
}
