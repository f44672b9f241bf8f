import { constants, createHmac, createPublicKey, generateKeyPairSync, randomUUID, sign as cryptoSign, type KeyObject } from 'node:crypto';

// Keys and tokens made by hand, so a test can build any hostile token byte
// by byte: raw segments, any header, any algorithm, any signature.

export const COGNITO_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI';
export const CLIENT_ID = '4ma4hcrg1m2hr1mnqc6vddb7pi';
export const NOW_S = 1_767_225_600; // 2026-01-01T00:00:00Z
export const now = (): number => NOW_S * 1000;

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function rsaKey(kid = `rsa-${randomUUID()}`, bits = 2048, alg: string | null = 'RS256'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const { n, e } = publicKey.export({ format: 'jwk' });
  return { kid, alg: alg ?? 'RS256', privateKey, publicKey, jwk: { kty: 'RSA', kid, use: 'sig', ...(alg ? { alg } : {}), n, e } };
}

export function ecKey(kid = `ec-${randomUUID()}`, crv: 'P-256' | 'P-384' = 'P-256'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: crv });
  const { x, y } = publicKey.export({ format: 'jwk' });
  const alg = crv === 'P-256' ? 'ES256' : 'ES384';
  return { kid, alg, privateKey, publicKey, jwk: { kty: 'EC', kid, use: 'sig', alg, crv, x, y } };
}

export const jwksOf = (...keys: TestKey[]): { keys: Record<string, unknown>[] } => ({ keys: keys.map((k) => k.jwk) });

export const b64 = (value: string | Buffer | object): string =>
  (Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8')).toString('base64url');

const HASH: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', PS256: 'sha256', ES256: 'sha256', ES384: 'sha384' };

/** The signature of `input` with `key` under `alg` (RS*, PS*, ES*, or HS* keyed with any bytes). */
export function signature(input: string, key: TestKey, alg = key.alg, hmacKey?: Buffer | string): Buffer {
  if (alg.startsWith('HS'))
    return createHmac(`sha${alg.slice(2)}`, hmacKey ?? '')
      .update(input)
      .digest();
  const hash = HASH[alg]!;
  if (alg.startsWith('PS')) return cryptoSign(hash, Buffer.from(input), { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  if (alg.startsWith('ES')) return cryptoSign(hash, Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return cryptoSign(hash, Buffer.from(input), key.privateKey);
}

/**
 * A signed token. `header` and `payload` are objects (JSON-encoded, then
 * base64url) or raw segment strings used as they are.
 */
export function signToken(key: TestKey, payload: object | string, header: object | string = { kid: key.kid, alg: key.alg }, alg?: string): string {
  const h = typeof header === 'string' ? header : b64(header);
  const p = typeof payload === 'string' ? payload : b64(payload);
  const input = `${h}.${p}`;
  const a = alg ?? (typeof header === 'object' && typeof (header as { alg?: unknown }).alg === 'string' ? (header as { alg: string }).alg : key.alg);
  return `${input}.${signature(input, key, a).toString('base64url')}`;
}

/** Access-token claims exactly as Cognito writes them (field order included). */
export function accessClaims(overrides: Record<string, unknown> = {}, issuer = COGNITO_ISSUER): Record<string, unknown> {
  return {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
    'cognito:groups': ['admin'],
    iss: issuer,
    version: 2,
    client_id: CLIENT_ID,
    origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    event_id: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: NOW_S - 60,
    exp: NOW_S + 3540,
    iat: NOW_S - 60,
    jti: 'cccccccc-dddd-eeee-ffff-aaaaaaaaaaaa',
    username: 'my-test-user',
    ...overrides,
  };
}

/** ID-token claims exactly as Cognito writes them. */
export function idClaims(overrides: Record<string, unknown> = {}, issuer = COGNITO_ISSUER): Record<string, unknown> {
  return {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
    'cognito:groups': ['admin'],
    email_verified: true,
    iss: issuer,
    'cognito:username': 'my-test-user',
    origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    aud: CLIENT_ID,
    event_id: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
    token_use: 'id',
    auth_time: NOW_S - 60,
    name: 'Test User',
    exp: NOW_S + 3540,
    iat: NOW_S - 60,
    jti: 'dddddddd-eeee-ffff-aaaa-bbbbbbbbbbbb',
    email: 'test@example.com',
    ...overrides,
  };
}

/** A fetch that serves one JWKS document for any URL and records what was asked. */
export function fakeFetch(doc: () => unknown): typeof fetch & { urls: string[] } {
  const urls: string[] = [];
  const fn = (async (input: string | URL | Request) => {
    urls.push(String(input));
    return new Response(JSON.stringify(doc()), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch & { urls: string[] };
  fn.urls = urls;
  return fn;
}

/** The PEM of a public key: what an "HMAC keyed with the public key" attack uses as the secret. */
export const publicPem = (key: TestKey): string => createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString();
