// SRP sign-in benchmark: full USER_SRP_AUTH sign-ins (InitiateAuth, then
// RespondToAuthChallenge PASSWORD_VERIFIER, ending in tokens) over HTTP
// against a Cognate server in this process, beside the raw cost of the
// 3072-bit modular exponentiations, OpenSSL and BigInt, measured in the same
// run. Run: npm run bench:srp  (or: npx tsx bench/srp.ts [sign-ins per round])
//
// The client half runs in this process too, on the same CPU: it uses the
// server's own OpenSSL-backed SRP primitives with a 256-bit secret a, so it
// costs about what the server's half costs, and its time is printed apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildApp } from '../packages/server/src/app.ts';
import { configFor } from '../packages/server/src/config/load.ts';
import {
  N,
  claimSignature,
  formatTimestamp,
  g,
  k,
  modPow,
  modPowBigInt,
  passwordExponent,
  poolName,
  scramble,
  sessionKey,
} from '../packages/server/src/crypto/srp.ts';

const PER_ROUND = Number(process.argv[2] ?? 100);
const ROUNDS = 5;
const PASSWORD = 'Bench!Passw0rd';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const rand = (bytes: number): bigint => BigInt(`0x${randomBytes(bytes).toString('hex')}`);
const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** Median milliseconds of one base^e mod N with a 256-bit exponent, as the server uses (b, u and x are 256 bits). */
function timeModPow(fn: (base: bigint, e: bigint) => bigint, reps: number): number {
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const inputs = Array.from({ length: reps }, () => [rand(384) % N, rand(32)] as const);
    const t = performance.now();
    for (const [base, e] of inputs) fn(base, e);
    samples.push((performance.now() - t) / reps);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-bench-'));
  const built = await buildApp(configFor({ dataDir, port: 0, logLevel: 'silent' }));
  const url = (await built.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  built.deps.tokens.setPublicUrl(url);
  const admin = new CognitoIdentityProviderClient({ region: built.deps.config.region, endpoint: url, credentials: built.createdCredentials!, maxAttempts: 1 });
  try {
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'bench' }))).UserPool!.Id!;
    const clientId = (
      await admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH'] }),
      )
    ).UserPoolClient!.ClientId!;
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bench', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'bench', Password: PASSWORD, Permanent: true }));

    const call = async (op: string, body: object): Promise<Record<string, unknown>> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${op}` },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${op}: ${String(json['__type'])} ${String(json['message'])}`);
      return json;
    };

    let clientMs = 0;
    const srpSignIn = async (): Promise<void> => {
      let t = performance.now();
      const a = rand(32);
      const A = modPow(g, a);
      clientMs += performance.now() - t;
      const first = await call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'bench', SRP_A: A.toString(16) } });
      const p = first['ChallengeParameters'] as Record<string, string>;
      t = performance.now();
      const B = BigInt(`0x${p['SRP_B']!}`);
      const u = scramble(A, B);
      const x = passwordExponent(poolName(poolId), p['USER_ID_FOR_SRP']!, PASSWORD, p['SALT']!);
      const S = modPow(B - ((k * modPow(g, x)) % N), a + u * x);
      const timestamp = formatTimestamp(Date.now());
      const signature = claimSignature(sessionKey(S, u), poolName(poolId), p['USER_ID_FOR_SRP']!, Buffer.from(p['SECRET_BLOCK']!, 'base64'), timestamp);
      clientMs += performance.now() - t;
      const done = await call('RespondToAuthChallenge', {
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: p['USER_ID_FOR_SRP'],
          PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK'],
          TIMESTAMP: timestamp,
          PASSWORD_CLAIM_SIGNATURE: signature,
        },
      });
      if (!(done['AuthenticationResult'] as { AccessToken?: string } | undefined)?.AccessToken) throw new Error('SRP sign-in did not end in tokens');
    };
    const passwordSignIn = async (): Promise<void> => {
      await call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bench', PASSWORD } });
    };

    /**
     * Median sign-ins per second over ROUNDS rounds of `n` sign-ins, `inFlight`
     * at a time, and the client's median share of CPU per sign-in.
     */
    const rate = async (fn: () => Promise<void>, n: number, inFlight = 1): Promise<{ perSecond: number; clientMsEach: number }> => {
      for (let i = 0; i < Math.min(5, n); i++) await fn(); // warm-up
      const rates: number[] = [];
      const client: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        clientMs = 0;
        let left = n;
        const worker = async () => {
          while (left-- > 0) await fn();
        };
        const t = performance.now();
        await Promise.all(Array.from({ length: inFlight }, worker));
        rates.push(n / ((performance.now() - t) / 1000));
        client.push(clientMs / n);
      }
      return { perSecond: median(rates), clientMsEach: median(client) };
    };

    const openssl = timeModPow(modPow, 200);
    const bigint = timeModPow(modPowBigInt, 20);
    const srp = await rate(srpSignIn, PER_ROUND);
    const srpParallel = await rate(srpSignIn, PER_ROUND, 8);
    const password = await rate(passwordSignIn, Math.max(10, Math.round(PER_ROUND / 5)));

    const msEach = 1000 / srp.perSecond;
    console.log(`Node ${process.version}, ${ROUNDS} rounds, medians`);
    console.log(`3072-bit modexp, 256-bit exponent: OpenSSL ${fmt(openssl, 3)} ms, BigInt ${fmt(bigint, 3)} ms (BigInt/OpenSSL ${fmt(bigint / openssl, 1)}x)`);
    console.log(`server SRP math per sign-in (3 modexps): ${fmt(3 * openssl)} ms through OpenSSL, would be ${fmt(3 * bigint)} ms in BigInt`);
    console.log(
      `USER_SRP_AUTH full sign-ins: ${fmt(srp.perSecond, 1)}/s sequential (${fmt(msEach)} ms each, of which ${fmt(srp.clientMsEach)} ms is this process's client math)`,
    );
    console.log(`USER_SRP_AUTH full sign-ins, 8 in flight: ${fmt(srpParallel.perSecond, 1)}/s`);
    console.log(`USER_PASSWORD_AUTH sign-ins (argon2id), sequential, for comparison: ${fmt(password.perSecond, 1)}/s`);
  } finally {
    admin.destroy();
    await built.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
