import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/**
 * The tables of our own schema that have a column of this name, read from the
 * catalog directly. Kysely's introspection lists the columns of every schema
 * in the database, so on a PostgreSQL shared with other deployments (or test
 * runs) it fails whenever one of them drops a schema at the same moment
 * (3F000, 42P01, 42703); this query never looks outside current_schema().
 */
export async function tablesWithColumn(db: Kysely<Tables>, column: string): Promise<string[]> {
  const query =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql<{ name: string }>`
          SELECT c.relname AS name
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
          WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
            AND a.attname = ${column} AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY c.relname`
      : sql<{ name: string }>`
          SELECT m.name AS name
          FROM sqlite_master m, pragma_table_info(m.name) p
          WHERE m.type = 'table' AND p.name = ${column}
          ORDER BY m.name`;
  return (await query.execute(db)).rows.map((r) => r.name);
}
