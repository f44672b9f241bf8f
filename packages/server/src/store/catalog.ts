import type { Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/**
 * The tables (not views) of our own schema that have a column of this name.
 * On PostgreSQL the introspection lists our schema only
 * (postgres-introspector.ts), so other deployments' DDL cannot fail it.
 */
export async function tablesWithColumn(db: Kysely<Tables>, column: string): Promise<string[]> {
  return (await db.introspection.getTables())
    .filter((t) => !t.isView && t.columns.some((c) => c.name === column))
    .map((t) => t.name)
    .sort();
}
