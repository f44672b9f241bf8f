import type { Kysely } from 'kysely';

// PLACEHOLDER: Wrapped data keys (helper: keys). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
