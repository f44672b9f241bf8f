import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.ts';
import { migrate } from './migrate.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';
import type { Tables } from './tables.ts';

export interface OpenedDatabase {
  db: Kysely<Tables>;
  kind: 'sqlite' | 'postgres';
  /** The migrations this open applied (store/migrate.ts). */
  applied: string[];
}

/**
 * The database the configuration names: PostgreSQL when a database URL is
 * set, else the embedded SQLite file in the data directory. Migrations run
 * before it is handed out (once, under Kysely's migration lock: on
 * PostgreSQL a session advisory lock, so nodes starting together wait for
 * each other and the later ones find nothing left to do).
 */
export async function openDatabase(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databasePoolSize' | 'databaseTimeoutSeconds'>,
  onConnectionError?: (err: Error) => void,
): Promise<OpenedDatabase> {
  if (config.databaseUrl !== null) {
    // Migrations on a connection of their own, without the serving limits: a
    // migration may rewrite a big table, or wait for another node's.
    const migrating = await openPostgres(config.databaseUrl, { poolSize: 1, timeoutMs: null });
    let applied: string[];
    try {
      applied = await migrate(migrating.db as never, { schema: migrating.schema });
    } finally {
      await migrating.db.destroy();
    }
    const limits = { poolSize: config.databasePoolSize, timeoutMs: config.databaseTimeoutSeconds * 1000, ...(onConnectionError ? { onConnectionError } : {}) };
    const { db } = await openPostgres(config.databaseUrl, limits);
    return { db, kind: 'postgres', applied };
  }
  const db = openSqlite(sqliteFile(config.dataDir));
  const applied = await migrate(db as never);
  return { db, kind: 'sqlite', applied };
}

export const sqliteFile = (dataDir: string): string => join(dataDir, 'cognate.db');

/** Where state lives, for the start banner: the PostgreSQL URL without its password, or the SQLite file. */
export function describeDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>): string {
  if (config.databaseUrl === null) return `SQLite ${sqliteFile(config.dataDir)}`;
  const url = new URL(config.databaseUrl);
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return `PostgreSQL ${url.toString()}`;
}
