import type { Kysely } from 'kysely';

// PLACEHOLDER: IP rules (helper: protection). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
