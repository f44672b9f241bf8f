import type { Kysely } from 'kysely';

// PLACEHOLDER: Audit trail (helper: audit). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
