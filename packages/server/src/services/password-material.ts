import { hashPassword } from '../crypto/passwords.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import { newSalt, padHex, poolName, verifier } from '../crypto/srp.ts';
import type { Pool } from '../domain/pool-settings.ts';

/** What is stored for a password: its argon2id hash and its SRP salt and (sealed) verifier. */
export interface PasswordMaterial {
  passwordHash: string;
  srpSalt: string;
  srpVerifierSealed: string;
}

export type SrpMaterial = Pick<PasswordMaterial, 'srpSalt' | 'srpVerifierSealed'>;

const PURPOSE = 'srp-verifier';

/**
 * Everything stored when a password is set, from one place: every operation
 * that sets a password (SignUp, AdminCreateUser, AdminSetUserPassword,
 * ChangePassword, ConfirmForgotPassword, NEW_PASSWORD_REQUIRED) spreads this
 * into the user it writes. Call it before opening a transaction (argon2).
 */
export async function passwordMaterial(master: MasterKey, pool: Pool, user: { sub: string; username: string }, password: string): Promise<PasswordMaterial> {
  return { passwordHash: await hashPassword(password), ...srpMaterial(master, pool, user, password) };
}

/**
 * The SRP half alone: for users whose password was set before Cognate kept
 * verifiers, filled in at their next password sign-in. The verifier depends
 * on the pool name, the username and the password; one SHA-256 deep, it is as
 * good as the password to an attacker, so it is sealed, bound to the user.
 */
export function srpMaterial(master: MasterKey, pool: Pool, user: { sub: string; username: string }, password: string): SrpMaterial {
  const srpSalt = newSalt();
  const v = verifier(poolName(pool.id), user.username, password, srpSalt);
  return { srpSalt, srpVerifierSealed: master.seal(PURPOSE, user.sub, padHex(v)) };
}

/** The user's verifier, or null if they have none yet (or it does not open: moved from another row). */
export function openVerifier(master: MasterKey, user: { sub: string; srpVerifierSealed?: string | null }): bigint | null {
  if (!user.srpVerifierSealed) return null;
  try {
    return BigInt(`0x${master.open(PURPOSE, user.sub, user.srpVerifierSealed).toString('utf8')}`);
  } catch {
    return null;
  }
}
