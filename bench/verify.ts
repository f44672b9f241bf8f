// Token verification speed, in one run on the same tokens:
//   ceiling          crypto.verify RS256 over pre-split, pre-decoded buffers
//                    (the RSA work alone: no verifier can beat it)
//   minimal JWS      split, base64url-decode the signature, crypto.verify,
//                    into reused buffers: the least any JWT verifier must do
//   + JSON.parse     that, plus decoding and parsing the payload: the least
//                    any verifier that returns the claims must do (no checks,
//                    no encoding rules), so the ratio it reaches bounds every
//                    verifier's from above on this machine
//   @cognate/verify  verifySync (and verify, async) with the JWKS in memory
//   aws-jwt-verify   JwtRsaVerifier (the generic RSA verifier), cacheJwks
//   jose             jwtVerify with createLocalJWKSet (async only)
// Each contender verifies the same 256 distinct Cognito-shaped access tokens.
// Contenders take turns in short rounds (order rotating), and each ratio is
// taken within a round (paired with the ceiling measured moments before or
// after), then the median over rounds is reported: on a shared, noisy machine
// that is far steadier than comparing medians taken at different moments.
//
// Run: npm run bench (or: npx tsx bench/verify.ts [--rounds 41] [--iterations 400])
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { cpus } from 'node:os';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

// The built package, as an app loads it (`npm run bench` builds it first).
// The specifier is a variable so type-checking does not need dist/ to exist.
const PKG = '@cognate/verify';
const { createVerifier } = (await import(PKG)) as typeof import('../packages/verify/src/index.ts');

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 41);
const ITERATIONS = arg('iterations', 400);
const TOKENS = 256;

const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_BenchPool';
const clientId = '4ma4hcrg1m2hr1mnqc6vddb7pi';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'bench-kid-1';
const jwks = { keys: [{ ...createPublicKey(privateKey).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const nowS = Math.floor(Date.now() / 1000);
const tokens = Array.from({ length: TOKENS }, () => {
  const input = `${b64({ kid, alg: 'RS256' })}.${b64({
    sub: randomUUID(),
    'cognito:groups': ['admin'],
    iss: issuer,
    version: 2,
    client_id: clientId,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: nowS,
    exp: nowS + 3600,
    iat: nowS,
    jti: randomUUID(),
    username: randomUUID(),
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
});
// The ceiling's inputs are prepared outside the timed loop.
const split = tokens.map((t) => {
  const dot = t.lastIndexOf('.');
  return { input: Buffer.from(t.slice(0, dot)), signature: Buffer.from(t.slice(dot + 1), 'base64url') };
});

const cognate = createVerifier({ issuer, tokenUse: 'access', clientId });
cognate.cacheJwks(jwks);
const aws = JwtRsaVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` });
aws.cacheJwks(jwks as never);
const joseJwks = createLocalJWKSet(jwks as JSONWebKeySet);

// The two floors below are written as tightly as a verifier can be (reused
// buffers, no copies), so that they bound from below what any verifier
// returning claims must spend beyond the RSA work itself.
const encoder = new TextEncoder();
const scratch = new Uint8Array(16_384);
const signatureScratch = Buffer.alloc(1024);
const payloadScratch = Buffer.alloc(16_384);

type Contender = { name: string; run: (n: number) => number | Promise<number> };
const contenders: Contender[] = [
  {
    name: 'ceiling: crypto.verify RS256',
    run: (n) => {
      let ok = 0;
      const key: KeyObject = publicKey;
      for (let i = 0; i < n; i++) {
        const t = split[i % TOKENS]!;
        if (verify('sha256', t.input, key, t.signature)) ok++;
      }
      return ok;
    },
  },
  {
    name: 'minimal JWS: split + decode + crypto.verify',
    run: (n) => {
      let ok = 0;
      for (let i = 0; i < n; i++) {
        const t = tokens[i % TOKENS]!;
        const dot = t.lastIndexOf('.');
        encoder.encodeInto(t, scratch);
        const sigBytes = signatureScratch.write(t.slice(dot + 1), 0, 'base64url');
        if (verify('sha256', scratch.subarray(0, dot), publicKey, signatureScratch.subarray(0, sigBytes))) ok++;
      }
      return ok;
    },
  },
  {
    name: 'minimal JWS + JSON.parse(payload)',
    run: (n) => {
      let ok = 0;
      for (let i = 0; i < n; i++) {
        const t = tokens[i % TOKENS]!;
        const dot1 = t.indexOf('.');
        const dot = t.lastIndexOf('.');
        encoder.encodeInto(t, scratch);
        const sigBytes = signatureScratch.write(t.slice(dot + 1), 0, 'base64url');
        if (verify('sha256', scratch.subarray(0, dot), publicKey, signatureScratch.subarray(0, sigBytes))) {
          const payloadBytes = payloadScratch.write(t.slice(dot1 + 1, dot), 0, 'base64url');
          if ((JSON.parse(payloadScratch.toString('utf8', 0, payloadBytes)) as { exp: number }).exp) ok++;
        }
      }
      return ok;
    },
  },
  {
    name: '@cognate/verify verifySync',
    run: (n) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if (cognate.verifySync(tokens[i % TOKENS]!).exp) ok++;
      return ok;
    },
  },
  {
    name: '@cognate/verify verify (async)',
    run: async (n) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if ((await cognate.verify(tokens[i % TOKENS]!)).exp) ok++;
      return ok;
    },
  },
  {
    name: 'aws-jwt-verify JwtRsaVerifier.verifySync',
    run: (n) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if (aws.verifySync(tokens[i % TOKENS]!).exp) ok++;
      return ok;
    },
  },
  {
    name: 'jose jwtVerify (local JWKS, async)',
    run: async (n) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if ((await jwtVerify(tokens[i % TOKENS]!, joseJwks, { issuer, algorithms: ['RS256'] })).payload.exp) ok++;
      return ok;
    },
  },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}; ${TOKENS} tokens of ${tokens[0]!.length} chars, RSA 2048`);
  console.log(`${ROUNDS} rounds x ${ITERATIONS} verifications per contender, interleaved; median round\n`);
  // Every contender must accept every token, or the comparison is void.
  for (const c of contenders) {
    const ok = await c.run(TOKENS);
    if (ok !== TOKENS) throw new Error(`${c.name} accepted ${ok} of ${TOKENS} tokens`);
  }
  for (const c of contenders) await c.run(ITERATIONS); // warm-up
  const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order each round so no contender always runs after the same one.
    for (let j = 0; j < contenders.length; j++) {
      const c = contenders[(r + j) % contenders.length]!;
      const start = process.hrtime.bigint();
      await c.run(ITERATIONS);
      times.get(c.name)!.push(Number(process.hrtime.bigint() - start) / ITERATIONS / 1000);
    }
  }
  const ceilingName = contenders[0]!.name;
  const ceilingTimes = times.get(ceilingName)!;
  const us = new Map([...times].map(([name, xs]) => [name, median(xs)]));
  const ratio = new Map([...times].map(([name, xs]) => [name, median(xs.map((x, r) => ceilingTimes[r]! / x))]));
  console.table(
    contenders.map((c) => ({
      contender: c.name,
      'median µs/op': us.get(c.name)!.toFixed(1),
      'ops/s': Math.round(1e6 / us.get(c.name)!),
      'of ceiling (paired median)': ratio.get(c.name)!.toFixed(3),
    })),
  );
  const ours = 'verifySync';
  const oursName = '@cognate/verify verifySync';
  const versus = (name: string) => median(times.get(name)!.map((x, r) => x / times.get(oursName)![r]!));
  const vsAws = versus('aws-jwt-verify JwtRsaVerifier.verifySync');
  const vsJose = versus('jose jwtVerify (local JWKS, async)');
  const floor = median(times.get('minimal JWS + JSON.parse(payload)')!.map((x, r) => x / times.get(oursName)![r]!));
  const ofCeiling = ratio.get(oursName)!;
  console.log(`\n${ours} / ceiling:          ${ofCeiling.toFixed(3)}  (target >= 0.85: ${ofCeiling >= 0.85 ? 'met' : 'MISSED'})`);
  console.log(`${ours} / (minimal JWS + JSON.parse): ${floor.toFixed(3)}  (what all the checks cost beyond the parse every verifier does)`);
  const parseFloor = ratio.get('minimal JWS + JSON.parse(payload)')!;
  console.log(
    `minimal JWS + JSON.parse / ceiling: ${parseFloor.toFixed(3)}  (the least a verifier that returns claims does, with no checks at all${parseFloor < 0.85 ? ': the 0.85 target lies above it on this machine' : ''})`,
  );
  console.log(`${ours} vs aws-jwt-verify:  ${vsAws.toFixed(2)}x as fast  (target > 1: ${vsAws > 1 ? 'met' : 'MISSED'})`);
  console.log(`${ours} vs jose:            ${vsJose.toFixed(2)}x as fast  (target > 1: ${vsJose > 1 ? 'met' : 'MISSED'})`);
}

await main();
