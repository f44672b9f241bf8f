import type { Kysely } from 'kysely';

// PLACEHOLDER: Password history (helper: password-policy). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
