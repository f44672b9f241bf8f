import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { MasterKey } from './master-key.ts';
import type { SigningKeyRow } from '../store/tables.ts';

export type TokenUse = 'id' | 'access';

const generateRsa = (): Promise<KeyObject> =>
  new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (err, _pub, priv) => (err ? reject(err) : resolve(priv))),
  );

/** A fresh RS256 key for one token use of one pool, its private half sealed with the master key. */
export async function newSigningKey(master: MasterKey, poolId: string, use: TokenUse, now: number): Promise<SigningKeyRow> {
  const privateKey = await generateRsa();
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk: JWK = { alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' };
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    kid,
    pool_id: poolId,
    token_use: use,
    alg: 'RS256',
    private_sealed: master.seal('signing-key', `${poolId}/${kid}`, pem),
    public_jwk: JSON.stringify(publicJwk),
    status: 'active',
    created_at: now,
    retired_at: null,
    published_until: null,
  };
}

// Keys never change once made (rotation adds new ones), so opened keys are
// cached by kid for the life of the process.
const privateCache = new Map<string, KeyObject>();
const publicCache = new Map<string, KeyObject>();

export function openPrivateKey(master: MasterKey, row: SigningKeyRow): KeyObject {
  let key = privateCache.get(row.kid);
  if (!key) {
    key = createPrivateKey(master.open('signing-key', `${row.pool_id}/${row.kid}`, row.private_sealed).toString('utf8'));
    privateCache.set(row.kid, key);
  }
  return key;
}

/** The key that checks RS256 signatures of this row, checked once when first imported: RSA of at least 2048 bits. */
export function publicKeyOf(row: SigningKeyRow): KeyObject {
  let key = publicCache.get(row.kid);
  if (!key) {
    key = createPublicKey({ key: JSON.parse(row.public_jwk) as import('node:crypto').JsonWebKey, format: 'jwk' });
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      throw new Error(`Signing key ${row.kid} is not an RSA key of at least 2048 bits`);
    publicCache.set(row.kid, key);
  }
  return key;
}
