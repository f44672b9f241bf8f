import type { Context } from '../context.ts';
import { usernameKey } from './lookups.ts';
import { isEmail } from '../domain/attributes.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { Store } from '../store/store.ts';
import { assertNewPassword } from './password-rules.ts';
import { countAttempt } from './codes.ts';

// Helpers for PreventUserExistenceErrors ENABLED outside sign-in (the sign-in
// side lives in services/sign-in.ts). An unknown name must meet every limit
// and check a real account meets, in the same order, or the difference
// (a LimitExceededException on the sixth ForgotPassword, an
// InvalidPasswordException before the code is looked at) tells the two apart.

/**
 * Counts a request under a name that matches no user against the hourly cap a
 * real account has for the same operation. The counter key is a MAC of pool
 * and name, so mistyped names are not stored.
 */
export async function countUnknownNameAttempt(ctx: Context, pool: Pool, operation: string, name: string, perHour: number): Promise<void> {
  const key = ctx.master.mac('unknown-name-attempts', `${pool.id}\n${usernameKey(pool, name)}`);
  await countAttempt(ctx.store, ctx.clock, `${operation}:unknown:${key}`, perHour);
}

/** The password-policy check a real account gets before its code is looked at, for a name that matches no user. */
export async function checkPasswordAsIfKnown(store: Store, pool: Pool, name: string, password: string): Promise<void> {
  await assertNewPassword(store, pool, password, { usernames: [name], attributes: isEmail(name) ? { email: name } : {} });
}
