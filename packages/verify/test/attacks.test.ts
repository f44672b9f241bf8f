import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, type ErrorCode, type Verifier, type VerifierOptions } from '../src/index.ts';
import {
  accessClaims,
  b64,
  CLIENT_ID,
  COGNITO_ISSUER,
  ecKey,
  fakeFetch,
  idClaims,
  jwksOf,
  now,
  NOW_S,
  publicPem,
  rsaKey,
  signature,
  signToken,
  type TestKey,
} from './helpers/tokens.ts';

// Every rule under "What it refuses" in README.md: each test builds the hostile
// token and asserts the specific error code, through both verifySync and
// verify. Wherever the rule is not about the signature, the hostile token is
// validly signed by the pool's real key, so only the rule can refuse it.

let key: TestKey; // the pool's key, in the JWKS
let attacker: TestKey; // a key the attacker holds, not in the JWKS
let ec: TestKey;
let weak: TestKey;

async function verifier(options: Partial<VerifierOptions> = {}, extraKeys: TestKey[] = []): Promise<Verifier<unknown>> {
  const v = createVerifier({
    issuer: COGNITO_ISSUER,
    tokenUse: 'access',
    clientId: CLIENT_ID,
    now,
    jwks: { fetch: fakeFetch(() => jwksOf(key, ...extraKeys)) },
    ...options,
  } as VerifierOptions);
  await v.hydrate();
  return v;
}

async function refused(v: Verifier<unknown>, token: string, code: ErrorCode, claim?: string): Promise<void> {
  const check = (err: unknown): boolean => {
    assert.equal(
      (err as { code?: string }).code,
      code,
      `expected ${code}, got ${(err as Error).name}: ${(err as { code?: string }).code} ${(err as Error).message}`,
    );
    assert.equal((err as Error).name, 'VerifyError');
    if (claim !== undefined) assert.equal((err as { claim?: string }).claim, claim);
    return true;
  };
  assert.throws(() => v.verifySync(token), check);
  await assert.rejects(v.verify(token), check);
}

const good = (claims: Record<string, unknown> = accessClaims()) => signToken(key, claims);
const segments = (token: string) => token.split('.') as [string, string, string];

before(() => {
  key = rsaKey('pool-key-1');
  attacker = rsaKey('pool-key-1'); // same kid as the real key
  ec = ecKey('ec-key-1');
  weak = rsaKey('weak-key', 1024);
});

describe('a genuine token', () => {
  it('verifies, so every refusal below is the rule at work', async () => {
    const v = await verifier();
    assert.equal((v.verifySync(good()) as { username: string }).username, 'my-test-user');
    assert.equal(((await v.verify(good())) as { username: string }).username, 'my-test-user');
  });
});

describe('algorithm rules', () => {
  it('refuses alg none in any casing, signed or not, with ERR_ALG', async () => {
    const v = await verifier();
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const h = b64({ kid: key.kid, alg });
      const p = b64(accessClaims());
      await refused(v, `${h}.${p}.`, 'ERR_ALG');
      await refused(v, `${h}.${p}.${signature(`${h}.${p}`, key, 'RS256').toString('base64url')}`, 'ERR_ALG');
    }
  });

  it('refuses HMAC keyed with the public key (PEM or JWK) with ERR_ALG', async () => {
    const v = await verifier();
    for (const [alg, secret] of [
      ['HS256', publicPem(key)],
      ['HS384', publicPem(key)],
      ['HS512', publicPem(key)],
      ['HS256', JSON.stringify(key.jwk)],
      ['HS256', Buffer.from(key.jwk['n'] as string, 'base64url')],
    ] as const) {
      const h = b64({ kid: key.kid, alg });
      const p = b64(accessClaims());
      await refused(v, `${h}.${p}.${signature(`${h}.${p}`, key, alg, secret).toString('base64url')}`, 'ERR_ALG');
    }
  });

  it('refuses HMAC even when asked for in the configuration, with ERR_CONFIG', () => {
    assert.throws(() => createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: CLIENT_ID, algorithms: ['HS256' as never] }), {
      code: 'ERR_CONFIG',
    });
  });

  it('refuses an algorithm the verifier does not allow (RS512, PS256, ES256 by default) with ERR_ALG', async () => {
    const v = await verifier();
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS512' }), 'ERR_ALG');
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'PS256' }), 'ERR_ALG');
    await refused(v, signToken(ec, accessClaims(), { kid: key.kid, alg: 'ES256' }), 'ERR_ALG');
    await refused(v, signToken(key, accessClaims(), { kid: key.kid }), 'ERR_ALG');
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: ['RS256'] }, 'RS256'), 'ERR_ALG');
  });

  it('refuses a token whose alg does not match the key (JWK alg RS256, token RS384) with ERR_KEY_MISMATCH', async () => {
    const v = await verifier({ algorithms: ['RS256', 'RS384'] });
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS384' }), 'ERR_KEY_MISMATCH');
  });

  it('refuses a token whose alg needs another key type (ES256 with an RSA kid, RS256 with an EC kid) with ERR_KEY_MISMATCH', async () => {
    const v = await verifier({ algorithms: ['RS256', 'ES256'] }, [ec]);
    await refused(v, signToken(ec, accessClaims(), { kid: key.kid, alg: 'ES256' }), 'ERR_KEY_MISMATCH');
    await refused(v, signToken(key, accessClaims(), { kid: ec.kid, alg: 'RS256' }), 'ERR_KEY_MISMATCH');
    // and the EC key works for what it is for
    assert.equal((v.verifySync(signToken(ec, accessClaims())) as { sub: string }).sub, 'aaaaaaaa-bbbb-cccc-dddd-example');
  });

  it('refuses a key shorter than 2048 bits with ERR_KEY_MISMATCH', async () => {
    const v = await verifier({}, [weak]);
    await refused(v, signToken(weak, accessClaims()), 'ERR_KEY_MISMATCH');
  });
});

describe('signature rules', () => {
  it('refuses a tampered payload with ERR_SIGNATURE', async () => {
    const v = await verifier();
    const [h, , s] = segments(good());
    await refused(v, `${h}.${b64(accessClaims({ username: 'admin' }))}.${s}`, 'ERR_SIGNATURE');
    await refused(v, `${h}.${b64(accessClaims({ 'cognito:groups': ['admin', 'root'] }))}.${s}`, 'ERR_SIGNATURE');
  });

  it('refuses a tampered signature with ERR_SIGNATURE', async () => {
    const v = await verifier();
    const [h, p, s] = segments(good());
    const sig = Buffer.from(s, 'base64url');
    sig[0]! ^= 0x01;
    await refused(v, `${h}.${p}.${sig.toString('base64url')}`, 'ERR_SIGNATURE');
    await refused(v, `${h}.${p}.${sig.subarray(1).toString('base64url')}`, 'ERR_SIGNATURE'); // a byte short
    await refused(v, `${h}.${p}.${Buffer.concat([Buffer.alloc(1), Buffer.from(s, 'base64url')]).toString('base64url')}`, 'ERR_SIGNATURE'); // a leading zero more
  });

  it("refuses a token signed by the attacker's key under the pool's kid with ERR_SIGNATURE", async () => {
    const v = await verifier();
    await refused(v, signToken(attacker, accessClaims()), 'ERR_SIGNATURE');
  });

  it('refuses a stripped signature with ERR_SIGNATURE, and a missing segment with ERR_MALFORMED', async () => {
    const v = await verifier();
    const [h, p] = segments(good());
    await refused(v, `${h}.${p}.`, 'ERR_SIGNATURE');
    await refused(v, `${h}.${p}`, 'ERR_MALFORMED');
    await refused(v, `${good()}.`, 'ERR_MALFORMED');
    await refused(v, `${good()}.${p}`, 'ERR_MALFORMED');
    await refused(v, 'not-a-jwt', 'ERR_MALFORMED');
  });
});

describe('encoding rules', () => {
  it('refuses a signature with padding, the standard alphabet, or stray trailing bits with ERR_BASE64', async () => {
    const v = await verifier();
    // Find a genuine token whose signature has - or _ in it, to swap for + or /.
    let token = good();
    for (let i = 0; !/[-_]/.test(segments(token)[2]); i++) token = good(accessClaims({ jti: `jti-${i}` }));
    const [h, p, s] = segments(token);
    assert.equal(s.length % 4, 2); // 256 bytes: two padding characters, four unused bits
    await refused(v, `${h}.${p}.${s}==`, 'ERR_BASE64');
    await refused(v, `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`, 'ERR_BASE64');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(s.at(-1)!);
    const stray = `${s.slice(0, -1)}${alphabet[last | 1]}`; // the same bytes when decoded leniently
    assert.deepEqual(Buffer.from(stray, 'base64url'), Buffer.from(s, 'base64url'));
    await refused(v, `${h}.${p}.${stray}`, 'ERR_BASE64');
  });

  it('refuses every character outside the base64url alphabet in any segment with ERR_BASE64', async () => {
    const v = await verifier();
    const [h, p, s] = segments(good());
    const alphabet = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
    const odd = [...Array(256).keys(), 0x100, 0x141, 0x4141, 0xff0d, 0xd83d].map((c) => String.fromCharCode(c)).filter((c) => !alphabet.has(c) && c !== '.');
    for (const c of odd) {
      const at = (seg: string) => `${seg.slice(0, 8)}${c}${seg.slice(9)}`; // replace, keeping the length
      await refused(v, `${h}.${p}.${at(s)}`, 'ERR_BASE64');
      await refused(v, `${h}.${at(p)}.${s}`, 'ERR_BASE64');
      await refused(v, `${at(h)}.${p}.${s}`, 'ERR_BASE64');
      await refused(v, `${h}.${p.slice(0, 8)}${c}${p.slice(8)}.${s}`, 'ERR_BASE64'); // inserted
    }
  });

  it('refuses a validly signed token whose header or payload is not canonical base64url with ERR_BASE64', async () => {
    const v = await verifier();
    const h = b64({ kid: key.kid, alg: 'RS256' });
    const p = b64(accessClaims());
    const signed = (hs: string, ps: string) => `${hs}.${ps}.${signature(`${hs}.${ps}`, key).toString('base64url')}`;
    assert.equal(v.verifySync(signed(h, p)) !== null, true);
    const padded = (seg: string) => seg + '='.repeat((4 - (seg.length % 4)) % 4 || 4);
    await refused(v, signed(h, padded(p)), 'ERR_BASE64');
    await refused(v, signed(padded(h), p), 'ERR_BASE64');
    await refused(v, signed(h, `${p.slice(0, 20)}\n${p.slice(20)}`), 'ERR_BASE64');
    await refused(v, signed(h, `${p.slice(0, 20)} ${p.slice(20)}`), 'ERR_BASE64');
    const q = b64(accessClaims({ jti: '~~~???' })); // ASCII text needs ~ or ? to encode as - or _
    assert.match(q, /[-_]/);
    await refused(v, signed(h, q.replace(/-/g, '+').replace(/_/g, '/')), 'ERR_BASE64');
  });
});

describe('header rules', () => {
  it('refuses an embedded jwk (even one that signed the token) with ERR_HEADER_KEY', async () => {
    const v = await verifier();
    await refused(v, signToken(attacker, accessClaims(), { kid: key.kid, alg: 'RS256', jwk: attacker.jwk }), 'ERR_HEADER_KEY');
  });

  it('refuses jku, x5u and x5c headers with ERR_HEADER_KEY, without fetching them', async () => {
    const fetched: string[] = [];
    const fetchSpy = fakeFetch(() => jwksOf(key));
    const v = await verifier({
      jwks: {
        fetch: (async (u: string) => {
          fetched.push(String(u));
          return fetchSpy(u);
        }) as typeof fetch,
      },
    });
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', jku: 'https://attacker.example/jwks.json' }), 'ERR_HEADER_KEY');
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', x5u: 'https://attacker.example/cert.pem' }), 'ERR_HEADER_KEY');
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', x5c: ['MIIB...'] }), 'ERR_HEADER_KEY');
    assert.deepEqual(
      fetched.filter((u) => u.includes('attacker')),
      [],
    );
  });

  it('refuses an unknown crit, an empty crit and the b64 extension with ERR_CRIT', async () => {
    const v = await verifier();
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', crit: ['exp'], exp: 1 }), 'ERR_CRIT');
    await refused(
      v,
      signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', crit: ['http://example.com/ext'], 'http://example.com/ext': true }),
      'ERR_CRIT',
    );
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', crit: [] }), 'ERR_CRIT');
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', crit: ['b64'], b64: false }), 'ERR_CRIT');
    await refused(v, signToken(key, accessClaims(), { kid: key.kid, alg: 'RS256', b64: true }), 'ERR_CRIT');
  });

  it('refuses a missing or empty kid with ERR_KID_MISSING', async () => {
    const v = await verifier();
    await refused(v, signToken(key, accessClaims(), { alg: 'RS256' }), 'ERR_KID_MISSING');
    await refused(v, signToken(key, accessClaims(), { alg: 'RS256', kid: '' }), 'ERR_KID_MISSING');
    await refused(v, signToken(key, accessClaims(), { alg: 'RS256', kid: 7 }), 'ERR_KID_MISSING');
  });

  it('refuses an unknown kid with ERR_KID_UNKNOWN', async () => {
    const v = await verifier();
    await refused(v, signToken(attacker, accessClaims(), { kid: 'not-in-the-jwks', alg: 'RS256' }), 'ERR_KID_UNKNOWN');
  });

  it('refuses a header that is not a JSON object, or not JSON, with ERR_NOT_OBJECT / ERR_MALFORMED', async () => {
    const v = await verifier();
    const p = b64(accessClaims());
    for (const raw of ['["RS256"]', '"RS256"', 'null', '42']) await refused(v, signToken(key, p, b64(raw), 'RS256'), 'ERR_NOT_OBJECT');
    await refused(v, signToken(key, p, b64('{"alg":"RS256","kid":'), 'RS256'), 'ERR_MALFORMED');
  });
});

describe('time rules', () => {
  it('refuses a token without exp with ERR_CLAIM_MISSING, and a non-numeric exp with ERR_CLAIM_INVALID', async () => {
    const v = await verifier();
    const { exp: _exp, ...noExp } = accessClaims();
    await refused(v, good(noExp), 'ERR_CLAIM_MISSING', 'exp');
    await refused(v, good(accessClaims({ exp: String(NOW_S + 3600) })), 'ERR_CLAIM_INVALID', 'exp');
    await refused(v, good(accessClaims({ exp: null })), 'ERR_CLAIM_INVALID', 'exp');
    const { iat: _iat, ...noIat } = accessClaims();
    await refused(v, good(noIat), 'ERR_CLAIM_MISSING', 'iat');
  });

  it('refuses an expired token with ERR_EXPIRED, including exactly at exp', async () => {
    const strict = await verifier({ clockSkewSeconds: 0 });
    await refused(strict, good(accessClaims({ exp: NOW_S - 1 })), 'ERR_EXPIRED', 'exp');
    await refused(strict, good(accessClaims({ exp: NOW_S })), 'ERR_EXPIRED', 'exp');
    assert.ok(strict.verifySync(good(accessClaims({ exp: NOW_S + 1 }))));
    // The default 60 s of skew: refused from exp + 60 on.
    const lenient = await verifier();
    await refused(lenient, good(accessClaims({ exp: NOW_S - 60 })), 'ERR_EXPIRED');
    assert.ok(lenient.verifySync(good(accessClaims({ exp: NOW_S - 59 }))));
  });

  it('refuses nbf in the future with ERR_NOT_YET_VALID and iat in the future with ERR_ISSUED_IN_FUTURE, beyond the skew', async () => {
    const v = await verifier({ clockSkewSeconds: 30 });
    await refused(v, good(accessClaims({ nbf: NOW_S + 31 })), 'ERR_NOT_YET_VALID', 'nbf');
    assert.ok(v.verifySync(good(accessClaims({ nbf: NOW_S + 30 }))));
    await refused(v, good(accessClaims({ iat: NOW_S + 31 })), 'ERR_ISSUED_IN_FUTURE', 'iat');
    assert.ok(v.verifySync(good(accessClaims({ iat: NOW_S + 30 }))));
  });

  it('refuses a lifetime above the cap (default one day) with ERR_LIFETIME', async () => {
    const v = await verifier();
    await refused(v, good(accessClaims({ iat: NOW_S - 60, exp: NOW_S - 60 + 86_401 })), 'ERR_LIFETIME');
    await refused(v, good(accessClaims({ iat: NOW_S - 60, exp: NOW_S + 10 * 365 * 86_400 })), 'ERR_LIFETIME');
    assert.ok(v.verifySync(good(accessClaims({ iat: NOW_S - 60, exp: NOW_S - 60 + 86_400 }))));
    const capped = await verifier({ maxLifetimeSeconds: 3600 });
    await refused(capped, good(accessClaims({ iat: NOW_S - 60, exp: NOW_S + 3600 })), 'ERR_LIFETIME');
    const uncapped = await verifier({ maxLifetimeSeconds: null });
    assert.ok(uncapped.verifySync(good(accessClaims({ exp: NOW_S + 10 * 365 * 86_400 }))));
  });
});

describe('identity rules', () => {
  it('refuses a wrong issuer with ERR_ISSUER, including a trailing slash', async () => {
    const v = await verifier();
    for (const iss of [
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool',
      `${COGNITO_ISSUER}/`,
      COGNITO_ISSUER.replace('https:', 'http:'),
      COGNITO_ISSUER.toUpperCase(),
      `${COGNITO_ISSUER} `,
      'https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbCdEfGhI',
    ]) {
      await refused(v, good(accessClaims({ iss })), 'ERR_ISSUER', 'iss');
    }
    const { iss: _iss, ...noIss } = accessClaims();
    await refused(v, good(noIss), 'ERR_ISSUER', 'iss');
    await refused(v, good(accessClaims({ iss: [COGNITO_ISSUER] })), 'ERR_ISSUER', 'iss');
  });

  it('refuses an ID token where an access token is expected, and the reverse, with ERR_TOKEN_USE', async () => {
    const access = await verifier();
    await refused(access, good(idClaims()), 'ERR_TOKEN_USE', 'token_use');
    const id = await verifier({ tokenUse: 'id' });
    await refused(id, good(accessClaims()), 'ERR_TOKEN_USE', 'token_use');
    const { token_use: _u, ...noUse } = accessClaims();
    await refused(access, good(noUse), 'ERR_TOKEN_USE');
    assert.equal((id.verifySync(good(idClaims())) as { email: string }).email, 'test@example.com');
  });

  it('refuses a wrong client with ERR_CLIENT_ID: client_id for access tokens, aud for ID tokens', async () => {
    const access = await verifier();
    await refused(access, good(accessClaims({ client_id: 'someotherclientid00000000' })), 'ERR_CLIENT_ID', 'client_id');
    // An access token naming the client only in aud is not for this client.
    const { client_id: _c, ...noClient } = accessClaims();
    await refused(access, good({ ...noClient, aud: CLIENT_ID }), 'ERR_CLIENT_ID', 'client_id');
    const id = await verifier({ tokenUse: 'id' });
    await refused(id, good(idClaims({ aud: 'someotherclientid00000000' })), 'ERR_CLIENT_ID', 'aud');
    await refused(id, good(idClaims({ aud: [CLIENT_ID] })), 'ERR_CLIENT_ID', 'aud');
    await refused(id, good(idClaims({ aud: undefined, client_id: CLIENT_ID })), 'ERR_CLIENT_ID', 'aud');
  });
});

describe('shape rules', () => {
  it('refuses an oversized token before any parsing with ERR_TOKEN_TOO_LARGE', async () => {
    const v = await verifier();
    await refused(v, 'x'.repeat(16_385), 'ERR_TOKEN_TOO_LARGE'); // would be ERR_MALFORMED if parsed
    await refused(v, `${'%'.repeat(10_000)}.${'%'.repeat(10_000)}.x`, 'ERR_TOKEN_TOO_LARGE'); // would be ERR_BASE64
    const big = good(accessClaims({ padding: 'p'.repeat(20_000) })); // validly signed, just too big
    await refused(v, big, 'ERR_TOKEN_TOO_LARGE');
    const roomy = await verifier({ maxTokenBytes: 64_000 });
    assert.ok(roomy.verifySync(big));
    // Refused in constant time, whatever its size.
    const huge = 'a'.repeat(50_000_000);
    const started = process.hrtime.bigint();
    assert.throws(() => v.verifySync(huge), { code: 'ERR_TOKEN_TOO_LARGE' });
    assert.ok(Number(process.hrtime.bigint() - started) < 50_000_000, 'refusing a 50 MB token took over 50 ms: was it parsed?');
  });

  it('refuses a payload that is not a JSON object with ERR_NOT_OBJECT', async () => {
    const v = await verifier();
    for (const raw of ['[]', '[{"sub":"x"}]', '"a string"', '42', 'null', 'true']) await refused(v, signToken(key, b64(raw)), 'ERR_NOT_OBJECT');
  });

  it('refuses a payload that is not JSON or not UTF-8 with ERR_MALFORMED', async () => {
    const v = await verifier();
    await refused(v, signToken(key, b64('{"sub":')), 'ERR_MALFORMED');
    await refused(v, signToken(key, b64("{'sub':'x'}")), 'ERR_MALFORMED');
    await refused(v, signToken(key, b64(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))), 'ERR_MALFORMED'); // {"\xff\xfe":1}
    await refused(v, signToken(key, b64(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(accessClaims()))]))), 'ERR_MALFORMED'); // BOM
  });

  it('refuses prototype-polluting keys anywhere in the payload or header with ERR_PROTOTYPE_KEY', async () => {
    const v = await verifier();
    const claims = JSON.stringify(accessClaims()).slice(1, -1);
    for (const raw of [
      `{"__proto__":{"isAdmin":true},${claims}}`,
      `{${claims},"constructor":{"prototype":{"isAdmin":true}}}`,
      `{${claims},"custom:settings":{"nested":[{"__proto__":{"isAdmin":true}}]}}`,
      `{${claims},"\\u005f_proto__":{"isAdmin":true}}`,
      `{${claims},"prototype":1}`,
    ]) {
      await refused(v, signToken(key, b64(raw)), 'ERR_PROTOTYPE_KEY');
    }
    await refused(v, signToken(key, accessClaims(), `${b64(`{"kid":"${key.kid}","alg":"RS256","__proto__":{"alg":"none"}}`)}`, 'RS256'), 'ERR_PROTOTYPE_KEY');
    assert.equal(({} as Record<string, unknown>)['isAdmin'], undefined);
  });
});
