import { MAX_PASSWORD_LENGTH, verifyPassword } from '../crypto/passwords.ts';
import { passwordPolicyOf, type Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import { MAX_PASSWORD_HISTORY } from '../store/password-history.ts';
import type { Store } from '../store/store.ts';

// Cognito declares PasswordHistoryPolicyViolationException on the operations
// that replace an existing user's password (AdminSetUserPassword,
// ChangePassword, ConfirmForgotPassword, and the NEW_PASSWORD_REQUIRED answer
// of (Admin)RespondToAuthChallenge); its message text is not documented, this
// one is a guess (docs/research/cognito-errors.md).
export const PASSWORD_REUSED = 'Password has previously been used';

/** The pool's PasswordHistorySize (0, or unset, turns the check off), read at each call so UpdateUserPool takes effect at once. */
export const passwordHistorySize = (pool: Pool): number => Math.min(Math.max(passwordPolicyOf(pool).PasswordHistorySize ?? 0, 0), MAX_PASSWORD_HISTORY);

/**
 * Refuses a new password equal to any of the user's last n passwords, n the
 * pool's PasswordHistorySize: the current one and the n − 1 before it.
 *
 * Costs up to n argon2 verifications (about 10 ms each; n ≤ 24), one after
 * another so one request holds one thread-pool slot at a time, stopping at the
 * first match. Call it before the write transaction, and only once the caller
 * has proven who they are (previous password, code, session): answered to
 * anyone, it would tell whether a guess was a former password.
 */
export async function assertNotRecentlyUsed(store: Store, pool: Pool, user: Pick<User, 'sub' | 'passwordHash'>, password: string): Promise<void> {
  const size = passwordHistorySize(pool);
  if (size === 0 || password.length > MAX_PASSWORD_LENGTH) return;
  const former = await store.passwordHistory.recent(user.sub, user.passwordHash ? size - 1 : size);
  const hashes = user.passwordHash ? [user.passwordHash, ...former] : former;
  for (const hash of hashes) {
    if (await verifyPassword(hash, password)) throw Errors.PasswordHistoryPolicyViolation(PASSWORD_REUSED);
  }
}
