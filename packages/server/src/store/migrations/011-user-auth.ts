import type { Kysely } from 'kysely';

// Choice-based sign-in (USER_AUTH) needs no table of its own: SELECT_CHALLENGE
// and the passwordless EMAIL_OTP / SMS_OTP codes live in auth_challenges rows
// (the code only as a keyed hash in the row's state), and a user's first
// factors follow from their attributes, password and MFA settings. Kept so
// the migration numbering stays fixed.
export async function up(_db: Kysely<unknown>): Promise<void> {}
