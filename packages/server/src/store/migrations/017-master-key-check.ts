import type { Kysely } from 'kysely';

// PLACEHOLDER: Master key check value (helper: multinode). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
