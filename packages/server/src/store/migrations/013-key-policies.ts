import type { Kysely } from 'kysely';

// PLACEHOLDER: Access-key policies (helper: policies). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
