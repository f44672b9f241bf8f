import type { Kysely } from 'kysely';

// PLACEHOLDER: Remembered devices (helper: devices). Replace this comment with why the tables exist; leave it empty if none are needed.
export async function up(_db: Kysely<unknown>): Promise<void> {}
