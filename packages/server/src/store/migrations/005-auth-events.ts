import type { Kysely } from 'kysely';

// PLACEHOLDER: Per-user auth event history (helper: users-events). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
