import { constants, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { VerifyError } from './errors.js';

// The asymmetric JWS algorithms this package can check (RFC 7518 §3), and
// how each maps onto node:crypto. HMAC and `none` are absent on purpose: a
// verifier holding only public keys must never accept them.
export type Algorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

interface AlgSpec {
  hash: 'sha256' | 'sha384' | 'sha512';
  kty: 'RSA' | 'EC';
  pss: boolean;
  /** EC: the curve and the exact r||s signature length (RFC 7518 §3.4). */
  crv?: 'P-256' | 'P-384' | 'P-521';
  ecSignatureBytes?: number;
}

export const ALGORITHMS: Readonly<Record<Algorithm, AlgSpec>> = {
  RS256: { hash: 'sha256', kty: 'RSA', pss: false },
  RS384: { hash: 'sha384', kty: 'RSA', pss: false },
  RS512: { hash: 'sha512', kty: 'RSA', pss: false },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true },
  PS384: { hash: 'sha384', kty: 'RSA', pss: true },
  PS512: { hash: 'sha512', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', pss: false, crv: 'P-256', ecSignatureBytes: 64 },
  ES384: { hash: 'sha384', kty: 'EC', pss: false, crv: 'P-384', ecSignatureBytes: 96 },
  ES512: { hash: 'sha512', kty: 'EC', pss: false, crv: 'P-521', ecSignatureBytes: 132 },
};

export const isAlgorithm = (alg: string): alg is Algorithm => Object.hasOwn(ALGORITHMS, alg);

const MIN_RSA_BITS = 2048;

/** A public key from the JWKS, imported once and kept as a KeyObject. */
export interface KeyEntry {
  readonly kid: string;
  readonly kty: 'RSA' | 'EC';
  /** The JWK's own `alg`, when it declares one: then only that algorithm may use it. */
  readonly alg: string | undefined;
  readonly crv: string | undefined;
  readonly key: KeyObject;
  /** RSA: the modulus length in bytes, which every signature must have exactly. */
  readonly rsaBytes: number;
  /** Why the key may not be used at all (too short), if so. */
  readonly problem: string | undefined;
  readonly pssOptions: { key: KeyObject; padding: number; saltLength: number } | undefined;
  readonly ecOptions: { key: KeyObject; dsaEncoding: 'ieee-p1363' } | undefined;
}

/** Why this key cannot check a token signed with `alg`, or null when it can. */
export function keyMismatch(alg: Algorithm, entry: KeyEntry): string | null {
  if (entry.problem) return entry.problem;
  const spec = ALGORITHMS[alg];
  if (entry.kty !== spec.kty) return `Token alg ${alg} needs a ${spec.kty} key; key ${entry.kid} is ${entry.kty}`;
  if (entry.alg !== undefined && entry.alg !== alg) return `Key ${entry.kid} is for ${entry.alg}, token says ${alg}`;
  if (spec.crv && entry.crv !== spec.crv) return `Token alg ${alg} needs curve ${spec.crv}; key ${entry.kid} is ${entry.crv}`;
  return null;
}

/** Checks a signature over the ASCII signing input; false on any mismatch. */
export function signatureValid(alg: Algorithm, entry: KeyEntry, input: Uint8Array, signature: Buffer): boolean {
  const spec = ALGORITHMS[alg];
  if (spec.kty === 'RSA') {
    // An RSA signature is exactly as long as the modulus (RFC 8017 §8.2.2);
    // refusing other lengths keeps one token from having two encodings.
    if (signature.length !== entry.rsaBytes) return false;
    return cryptoVerify(spec.hash, input, spec.pss ? entry.pssOptions! : entry.key, signature);
  }
  if (signature.length !== spec.ecSignatureBytes) return false;
  return cryptoVerify(spec.hash, input, entry.ecOptions!, signature);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Imports the usable signing keys of a JWKS document (RFC 7517 §5). Keys that
 * cannot be used for signatures, have no `kid`, or are of an unsupported type
 * are left out; a `kid` seen twice keeps its first key. Only the public members
 * are read, so a JWKS that leaks private parts is not trusted with them.
 */
export function importJwks(doc: unknown): Map<string, KeyEntry> {
  if (!isObject(doc) || !Array.isArray(doc['keys'])) throw new VerifyError('ERR_JWKS_INVALID', 'The JWKS is not a JSON object with a "keys" array');
  const out = new Map<string, KeyEntry>();
  for (const jwk of doc['keys'] as unknown[]) {
    if (!isObject(jwk)) continue;
    const { kid, kty, use, alg } = jwk;
    if (typeof kid !== 'string' || kid === '' || out.has(kid)) continue;
    if (use !== undefined && use !== 'sig') continue;
    if (alg !== undefined && typeof alg !== 'string') continue;
    const entry = kty === 'RSA' ? importRsa(kid, jwk, alg) : kty === 'EC' ? importEc(kid, jwk, alg) : null;
    if (entry) out.set(kid, entry);
  }
  return out;
}

function importRsa(kid: string, jwk: Record<string, unknown>, alg: string | undefined): KeyEntry | null {
  if (typeof jwk['n'] !== 'string' || typeof jwk['e'] !== 'string') return null;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: 'RSA', n: jwk['n'], e: jwk['e'] }, format: 'jwk' });
  } catch {
    return null;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return {
    kid,
    kty: 'RSA',
    alg,
    crv: undefined,
    key,
    rsaBytes: Math.ceil(bits / 8),
    problem: bits < MIN_RSA_BITS ? `Key ${kid} is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required` : undefined,
    pssOptions: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
    ecOptions: undefined,
  };
}

function importEc(kid: string, jwk: Record<string, unknown>, alg: string | undefined): KeyEntry | null {
  const { crv, x, y } = jwk;
  if ((crv !== 'P-256' && crv !== 'P-384' && crv !== 'P-521') || typeof x !== 'string' || typeof y !== 'string') return null;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: 'EC', crv, x, y }, format: 'jwk' });
  } catch {
    return null;
  }
  return { kid, kty: 'EC', alg, crv, key, rsaBytes: 0, problem: undefined, pssOptions: undefined, ecOptions: { key, dsaEncoding: 'ieee-p1363' } };
}
