import { Secret, TOTP } from 'otpauth';
import type { MasterKey } from '../crypto/master-key.ts';
import type { Ids } from './ids.ts';

// RFC 6238 as Cognito's authenticator apps expect it: HMAC-SHA1, six digits,
// a 30-second step, one step of clock skew either way. The secret is shared
// with the app as base32 (AssociateSoftwareToken's SecretCode).
const PERIOD_S = 30;
const SKEW_STEPS = 1;
const SEAL_PURPOSE = 'totp-secret';

/** A fresh 160-bit secret (RFC 4226's recommended size), base32. */
export const newTotpSecret = (ids: Ids): string => new Secret({ buffer: new Uint8Array(ids.bytes(20)).buffer }).base32;

/** Sealed with the master key, bound to the user: a sealed secret cannot be moved to another user's row. */
export const sealTotpSecret = (master: MasterKey, sub: string, secret: string): string => master.seal(SEAL_PURPOSE, sub, secret);

export const openTotpSecret = (master: MasterKey, sub: string, sealed: string): string => master.open(SEAL_PURPOSE, sub, sealed).toString('utf8');

/**
 * The time step `code` is valid for at `now` (within the skew), or null. The
 * caller must still refuse a step at or before the last one accepted: that is
 * what makes each code single use.
 */
export function totpStep(secret: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD_S });
  const delta = totp.validate({ token: code, timestamp: now, window: SKEW_STEPS });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_S) + delta;
}
