import type { Kysely } from 'kysely';

// PLACEHOLDER: ARCHIVED/COMPROMISED lifecycle (helper: lifecycle). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
