import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createVerifier, type JwksCache, type Verifier } from '../src/index.ts';
import { JwksServer } from './helpers/jwks-server.ts';
import { accessClaims, CLIENT_ID, jwksOf, now, rsaKey, signToken, type TestKey } from './helpers/tokens.ts';

// The JWKS cache against a real HTTP server on loopback: one fetch in
// flight, a cool-down for unknown kids, timeouts, limits, rotation.

let server: JwksServer;
let k1: TestKey;
let k2: TestKey;
let clock: number;
let pool = 0;

before(async () => {
  server = await new JwksServer().start();
  k1 = rsaKey('rotation-1');
  k2 = rsaKey('rotation-2');
});
after(() => server.stop());
beforeEach(() => {
  server.doc = jwksOf(k1);
  server.requests = 0;
  server.delayMs = 0;
  server.override = null;
  clock = 1_000_000;
});

function verifier(jwks: ConstructorParameters<typeof JwksCache>[1] = {}): { v: Verifier<unknown>; issuer: string } {
  const issuer = server.issuer(`us-east-1_Pool${++pool}`);
  const v = createVerifier({ issuer, tokenUse: 'access', clientId: CLIENT_ID, now, jwks: { now: () => clock, ...jwks } });
  return { v, issuer };
}
const tokenFor = (key: TestKey, issuer: string, kid = key.kid) => signToken(key, accessClaims({ iss: issuer }), { kid, alg: 'RS256' });
/** A token under a random kid: only the header is new, so no signing is needed (the kid is refused before the signature is looked at). */
const randomKid = (token: string): string => {
  const [, p, s] = token.split('.');
  return `${Buffer.from(JSON.stringify({ kid: randomUUID(), alg: 'RS256' })).toString('base64url')}.${p}.${s}`;
};

describe('JWKS cache › fetching', () => {
  it('fetches once for many concurrent first requests (single flight)', async () => {
    server.delayMs = 100;
    const { v, issuer } = verifier();
    const results = await Promise.all(Array.from({ length: 50 }, () => v.verify(tokenFor(k1, issuer))));
    assert.equal(results.length, 50);
    assert.equal(server.requests, 1);
    assert.equal(v.jwks.fetchCount, 1);
  });

  it('under a flood of random kids fetches at most once per cool-down, while known keys keep verifying without waiting', async () => {
    const { v, issuer } = verifier({ cooldownMs: 30_000 });
    await v.hydrate();
    assert.equal(server.requests, 1);
    clock += 30_000; // the cool-down since the hydrating fetch has passed
    server.delayMs = 500; // a slow issuer, to show known keys do not wait on it
    const known = tokenFor(k1, issuer);
    const flood = Array.from({ length: 1000 }, () =>
      v.verify(randomKid(known)).then(
        () => 'accepted',
        (e: { code: string }) => e.code,
      ),
    );
    const started = Date.now();
    for (let i = 0; i < 20; i++) assert.ok(await v.verify(known));
    assert.ok(v.verifySync(known));
    assert.ok(Date.now() - started < 400, 'known keys waited for the refetch');
    const outcomes = await Promise.all(flood);
    assert.deepEqual([...new Set(outcomes)], ['ERR_KID_UNKNOWN']);
    assert.equal(server.requests, 2);
    // Still within the cool-down: more random kids, no fetch.
    clock += 29_000;
    for (let i = 0; i < 100; i++) await assert.rejects(v.verify(randomKid(known)), { code: 'ERR_KID_UNKNOWN' });
    assert.throws(() => v.verifySync(randomKid(known)), { code: 'ERR_KID_UNKNOWN' });
    assert.equal(server.requests, 2);
    // After it, one more.
    clock += 1_000;
    await Promise.all(Array.from({ length: 100 }, () => assert.rejects(v.verify(randomKid(known)), { code: 'ERR_KID_UNKNOWN' })));
    assert.equal(server.requests, 3);
  });

  it('refuses garbage before looking for a key, so it causes no fetch', async () => {
    const { v, issuer } = verifier();
    await v.hydrate();
    clock += 60_000;
    const [h, p] = randomKid(tokenFor(k1, issuer)).split('.');
    await assert.rejects(v.verify(`${h}.${p}.a+b`), { code: 'ERR_BASE64' });
    await assert.rejects(v.verify(`${h}.${p}`), { code: 'ERR_MALFORMED' });
    assert.equal(server.requests, 1);
  });

  it('picks up a rotation: a new kid is fetched, a withdrawn key stops verifying', async () => {
    const { v, issuer } = verifier({ cooldownMs: 10_000 });
    const old = tokenFor(k1, issuer);
    assert.ok(await v.verify(old));
    // The issuer publishes k2 next to k1 and signs with it.
    server.doc = jwksOf(k2, k1);
    clock += 10_000;
    assert.ok(await v.verify(tokenFor(k2, issuer)));
    assert.ok(await v.verify(old));
    assert.equal(server.requests, 2);
    // Later k1 is withdrawn: after maxAge a background refresh drops it.
    server.doc = jwksOf(k2);
    clock += 3_600_001;
    assert.ok(v.verifySync(old)); // still in memory; this use starts the refresh
    await waitFor(() => server.requests === 3);
    await waitFor(() => {
      try {
        v.verifySync(old);
        return false;
      } catch (err) {
        return (err as { code: string }).code === 'ERR_KID_UNKNOWN';
      }
    });
    assert.ok(v.verifySync(tokenFor(k2, issuer)));
  });

  it('retries soon (not after the whole cool-down) when a fetch failed', async () => {
    server.override = (_req, res) => {
      res.statusCode = 500;
      res.end('oops');
    };
    const { v, issuer } = verifier({ cooldownMs: 60_000 });
    await assert.rejects(v.verify(tokenFor(k1, issuer)), { code: 'ERR_JWKS_FETCH', message: /HTTP 500/ });
    await assert.rejects(v.verify(tokenFor(k1, issuer)), { code: 'ERR_JWKS_FETCH' }); // no new fetch yet
    assert.equal(server.requests, 1);
    server.override = null;
    clock += 2_000;
    assert.ok(await v.verify(tokenFor(k1, issuer)));
    assert.equal(server.requests, 2);
  });
});

describe('JWKS cache › hostile or broken servers', () => {
  it('times out a server that does not answer', async () => {
    server.delayMs = 5_000;
    const { v, issuer } = verifier({ timeoutMs: 200 });
    const started = Date.now();
    await assert.rejects(v.verify(tokenFor(k1, issuer)), { code: 'ERR_JWKS_FETCH', message: /within 200 ms/ });
    assert.ok(Date.now() - started < 2_000);
  });

  it('times out a server that sends the headers and then stalls the body', async () => {
    server.override = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"keys":[');
    };
    const { v, issuer } = verifier({ timeoutMs: 300 });
    await assert.rejects(v.verify(tokenFor(k1, issuer)), { code: 'ERR_JWKS_FETCH' });
  });

  it('refuses an oversized response, declared or streamed', async () => {
    const big = JSON.stringify({ keys: [{ kty: 'oct', k: 'x'.repeat(300_000) }] });
    server.override = (_req, res) => res.end(big);
    const { v, issuer } = verifier();
    await assert.rejects(v.verify(tokenFor(k1, issuer)), { code: 'ERR_JWKS_FETCH', message: /larger than/ });
    server.override = (_req, res) => {
      res.write(big.slice(0, 100_000));
      res.write(big.slice(100_000, 200_000));
      res.end(big.slice(200_000));
    };
    const second = verifier();
    await assert.rejects(second.v.verify(tokenFor(k1, second.issuer)), { code: 'ERR_JWKS_FETCH', message: /larger than/ });
  });

  it('refuses a JWKS that is not JSON or has no keys array, with ERR_JWKS_INVALID', async () => {
    for (const body of ['<html>', '[]', '{"keys":{}}', '{}']) {
      server.override = (_req, res) => res.end(body);
      const { v, issuer } = verifier();
      await assert.rejects(v.verify(tokenFor(k1, issuer)), { code: 'ERR_JWKS_INVALID' });
    }
  });

  it('does not follow redirects', async () => {
    let redirected = 0;
    server.override = (req, res) => {
      if (req.url === '/elsewhere') {
        redirected++;
        res.end(JSON.stringify(jwksOf(k1)));
        return;
      }
      res.statusCode = 302;
      res.setHeader('location', '/elsewhere');
      res.end();
    };
    const { v, issuer } = verifier();
    await assert.rejects(v.verify(tokenFor(k1, issuer)), { code: 'ERR_JWKS_FETCH' });
    assert.equal(redirected, 0);
  });

  it('ignores keys it cannot use (no kid, encryption keys, symmetric keys, private members) and keeps the first of a duplicated kid', async () => {
    const attacker = rsaKey('rotation-1');
    server.doc = {
      keys: [
        { kty: 'oct', kid: 'sym', k: 'c2VjcmV0' },
        { ...k2.jwk, kid: undefined },
        { ...k2.jwk, kid: 'enc-key', use: 'enc' },
        k1.jwk,
        attacker.jwk,
        { kty: 'RSA', kid: 'broken', n: 'AQAB', e: '' },
        { ...k2.privateKey.export({ format: 'jwk' }), kid: 'leaky', use: 'sig' },
      ],
    };
    const { v, issuer } = verifier();
    assert.ok(await v.verify(tokenFor(k1, issuer)));
    await assert.rejects(v.verify(tokenFor(attacker, issuer)), { code: 'ERR_SIGNATURE' });
    await assert.rejects(v.verify(signToken(k2, accessClaims({ iss: issuer }), { kid: 'enc-key', alg: 'RS256' })), { code: 'ERR_KID_UNKNOWN' });
    await assert.rejects(v.verify(signToken(k2, accessClaims({ iss: issuer }), { kid: 'sym', alg: 'RS256' })), { code: 'ERR_KID_UNKNOWN' });
    assert.ok(await v.verify(signToken(k2, accessClaims({ iss: issuer }), { kid: 'leaky', alg: 'RS256' }))); // its public half only
  });
});

async function waitFor(condition: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
