import type { Kysely } from 'kysely';

// PLACEHOLDER: MFA settings, TOTP secrets (helper: mfa). Replace this comment with why the tables exist; leave it empty if none are needed.
export async function up(_db: Kysely<unknown>): Promise<void> {}
