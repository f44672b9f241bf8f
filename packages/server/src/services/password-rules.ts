import { assertPasswordConforms, COGNITO_RULES_ONLY, passwordOwner, type PasswordChecks } from '../domain/password-policy.ts';
import { passwordPolicyOf, type Pool } from '../domain/pool-settings.ts';
import type { Store } from '../store/store.ts';

/** The pool's choice of Cognate's extra password rules; Cognito's rules only when it never made one. */
export async function passwordChecksOf(store: Store, poolId: string): Promise<PasswordChecks> {
  return (await store.passwordChecks.checks(poolId)) ?? COGNITO_RULES_ONLY;
}

/**
 * Checks a new password against the pool's PasswordPolicy and the extra rules
 * the pool opted into (domain/password-policy.ts), for the user known by
 * `usernames` with `attributes`. Read at every call, so SetPasswordChecks
 * applies to the next password set on any node.
 */
export async function assertNewPassword(
  store: Store,
  pool: Pool,
  password: string,
  user: { usernames: readonly string[]; attributes: Record<string, string> },
  via: 'public' | 'admin' = 'public',
): Promise<void> {
  const checks = await passwordChecksOf(store, pool.id);
  await assertPasswordConforms(passwordPolicyOf(pool), password, passwordOwner(pool, user.usernames, user.attributes), via, checks);
}
