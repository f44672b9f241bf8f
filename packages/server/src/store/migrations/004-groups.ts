import type { Kysely } from 'kysely';

// PLACEHOLDER: Groups and memberships (helper: groups). Replace this comment with why the tables exist.
export async function up(_db: Kysely<unknown>): Promise<void> {}
