import type { Kysely } from 'kysely';

// PLACEHOLDER: Refresh-token rotation families (helper: rotation). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
