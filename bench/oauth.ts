// The OAuth endpoints against their CPU ceilings, measured in the same run
// (issue: OAuth 2.0 and the managed-login pages, "Performance"):
//
//   client credentials  tokens/s from POST /oauth2/token, one RS256
//                       signature each: target >= 0.7 of the RS256 ceiling
//   code flow           sign-in POST /login (one argon2id verification) plus
//                       the code's exchange at POST /oauth2/token (two
//                       signatures), per second: target >= 0.7 of the
//                       argon2id ceiling; the form is fetched beforehand
//                       (GET /oauth2/authorize, GET /login), outside the timing
//
// Cognate runs as `cognate start` on SQLite in a process of its own; the
// ceilings come from bench/ceilings.ts in another. Rounds alternate the two;
// the printed fractions are medians of per-round ratios.
//
// The floor: bench/floor-server.ts answers POST /oauth2/token with a fixed
// body (bare Fastify, nothing checked or signed), under the same load. A
// token costs at least the floor's HTTP work plus one signature on the same
// cores, so no server can pass R_floor / (R_floor + RS256 ceiling) of the
// ceiling here: printed as the bound the 0.7 target is held against.
//
// Usage: npx tsx bench/oauth.ts [--rounds 3] [--tokens 2000] [--flows 200] [--concurrency 8] [--cpu-prof DIR]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { openLoginForm, submitLogin, type LoginForm } from '../packages/server/test/helpers/hosted-login.ts';
import { rate } from './rate.ts';

const ROOT = join(import.meta.dirname, '..');
const opt = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const ROUNDS = Number(opt('rounds', '3'));
const TOKENS = Number(opt('tokens', '2000'));
const FLOWS = Number(opt('flows', '200'));
const CONCURRENCY = Number(opt('concurrency', '8'));
/** A directory for V8 CPU profiles of the Cognate process (written when it stops). */
const CPU_PROF = opt('cpu-prof', '');
const CALLBACK = 'http://localhost:3999/callback';
const PASSWORD = 'Kx7#mQ2!vLp9-zR';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function waitForPort(proc: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`cognate exited with ${code}: ${out}`)));
  });
}

async function ceilings(hashes: number, signatures: number): Promise<{ argon2: number; rs256: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/ceilings.ts'), String(hashes), String(signatures), String(CONCURRENCY)], {
    cwd: ROOT,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  const parsed = JSON.parse(out) as { argon2: { perSecond: number }; rs256: { perSecond: number } };
  return { argon2: parsed.argon2.perSecond, rs256: parsed.rs256.perSecond };
}

const floorProc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/floor-server.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
const floorBase = `http://127.0.0.1:${await waitForPort(floorProc)}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cognate-bench-oauth-'));
const proc = spawn(
  process.execPath,
  [
    ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : []),
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
  ],
  {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
try {
  const base = `http://localhost:${await waitForPort(proc)}`;
  const ini = readFileSync(join(dataDir, 'credentials'), 'utf8');
  const credentials = { accessKeyId: /aws_access_key_id = (\S+)/.exec(ini)![1]!, secretAccessKey: /aws_secret_access_key = (\S+)/.exec(ini)![1]! };
  const admin = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: base, credentials });
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'bench' }))).UserPool!.Id!;
  await admin.send(
    new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }),
  );
  const client = async (flows: ('code' | 'client_credentials')[], scopes: string[]) => {
    const made = (
      await admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: flows[0],
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: flows,
          AllowedOAuthScopes: scopes,
          ...(flows.includes('code') ? { CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'] } : {}),
        }),
      )
    ).UserPoolClient!;
    return `Basic ${Buffer.from(`${made.ClientId}:${made.ClientSecret}`).toString('base64')}`;
  };
  const m2m = await client(['client_credentials'], ['api/read']);
  const web = await client(['code'], ['openid']);
  const webId = Buffer.from(web.slice(6), 'base64').toString().split(':')[0]!;
  await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bench', MessageAction: 'SUPPRESS' }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'bench', Password: PASSWORD, Permanent: true }));

  const token = async (authorization: string, body: Record<string, string>, at = base) => {
    const res = await fetch(`${at}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: new URLSearchParams(body).toString(),
    });
    if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  const authorize = { response_type: 'code', client_id: webId, redirect_uri: CALLBACK, scope: 'openid' };

  // Warm-up: the first calls load code paths and caches.
  for (let i = 0; i < 20; i++) await token(m2m, { grant_type: 'client_credentials' });
  const warm = (await openLoginForm(base, authorize)) as LoginForm;
  await submitLogin(warm, 'bench', PASSWORD);

  const floor: number[] = [];
  const cc: number[] = [];
  const flows: number[] = [];
  const argon2: number[] = [];
  const rs256: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ceiling = await ceilings(Math.max(CONCURRENCY, FLOWS / 2), TOKENS / 2);
    argon2.push(ceiling.argon2);
    rs256.push(ceiling.rs256);
    cc.push(await rate(TOKENS, CONCURRENCY, () => token(m2m, { grant_type: 'client_credentials' })));
    floor.push(await rate(TOKENS, CONCURRENCY, () => token(m2m, { grant_type: 'client_credentials' }, floorBase)));
    const forms: LoginForm[] = [];
    for (let i = 0; i < FLOWS; i++) forms.push((await openLoginForm(base, authorize)) as LoginForm);
    flows.push(
      await rate(FLOWS, CONCURRENCY, async (i) => {
        const { location } = await submitLogin(forms[i]!, 'bench', PASSWORD);
        await token(web, { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK });
      }),
    );
    console.error(
      `round ${round + 1}: client credentials ${cc[round]!.toFixed(0)}/s (RS256 ${rs256[round]!.toFixed(0)}/s, floor ${floor[round]!.toFixed(0)}/s), code flows ${flows[round]!.toFixed(1)}/s (argon2id ${argon2[round]!.toFixed(1)}/s)`,
    );
  }
  const fmt = (n: number, d = 1) => n.toFixed(d);
  console.log(`\n## OAuth endpoints vs CPU ceilings (Cognate on SQLite, ${CONCURRENCY} in flight, median of ${ROUNDS} rounds)\n`);
  console.log('| Measure | Rate | Ceiling | Fraction (target >= 0.7) |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| client_credentials tokens/s | ${fmt(median(cc), 0)} | RS256 ${fmt(median(rs256), 0)}/s | ${fmt(median(cc.map((r, i) => r / rs256[i]!)), 2)} |`,
  );
  const bound = median(floor.map((f, i) => f / (f + rs256[i]!)));
  console.log(`| client_credentials floor (bare Fastify, fixed answer) | ${fmt(median(floor), 0)} | | bound on any server: ${fmt(bound, 2)} |`);
  console.log(
    `| code flows/s (POST /login + POST /oauth2/token) | ${fmt(median(flows))} | argon2id ${fmt(median(argon2))}/s | ${fmt(median(flows.map((r, i) => r / argon2[i]!)), 2)} |`,
  );
} finally {
  floorProc.kill('SIGTERM');
  proc.kill('SIGTERM');
  await new Promise((resolve) => proc.on('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
