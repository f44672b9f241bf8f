import { chmodSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';
import type { Tables } from './tables.ts';

// better-sqlite3 reopens an existing WAL database at synchronous=NORMAL, where
// a power cut can lose acknowledged commits. Every connection sets FULL and
// then reads it back, refusing to run if the setting did not take.
export function configureConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const journal = db.pragma('journal_mode', { simple: true });
  const sync = db.pragma('synchronous', { simple: true });
  if (journal !== 'wal' || sync !== 2) {
    throw new Error(`SQLite durability settings did not take (journal_mode=${String(journal)}, synchronous=${String(sync)})`);
  }
}

// SQLite runs DDL inside transactions, but Kysely's adapter says it cannot,
// so its Migrator would apply each migration statement by statement: a kill
// in the middle of a first start or an upgrade then leaves tables no
// migration is recorded for, and every later start fails ("table already
// exists"). Saying so makes the pending migrations commit all or nothing.
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
// Several processes may share the file (`cognate start --workers N`). A
// transaction begun DEFERRED that reads and then writes fails at once with
// SQLITE_BUSY when another process committed in between (busy_timeout does
// not apply to that upgrade); begun IMMEDIATE it takes the write lock first,
// waiting its turn under busy_timeout. In one process it changes nothing: the
// single connection runs one transaction at a time anyway.
//
// On some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, SQLITE_NOMEM) SQLite
// rolls the transaction back itself (https://www.sqlite.org/lang_transaction.html,
// "Response To Errors Within A Transaction"). Kysely's ROLLBACK then fails
// with "no transaction is active", and that error would replace the one
// that says why (a full disk answered as an unknown failure). Nothing is
// left to undo then, so that one answer is taken as done.
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch (err) {
      if (!(err instanceof Error && /no transaction is active/.test(err.message))) throw err;
    }
  }
}
class CognateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.settings);
  }
}

// Kysely's SQLite driver prepares every statement anew, and parsing and
// planning took about 8 % of the main thread under refresh load (profile of
// bench/server.ts). The one connection keeps its recent
// statements instead. Reuse is safe: each statement runs to completion
// (all/run, or a stream that holds the connection) before the next query on
// this single connection starts, and SQLite re-plans a statement itself after
// a schema change.
const STATEMENT_CACHE_SIZE = 256;
function withStatementCache(db: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt)
        cache.delete(sql); // re-inserted below: least recently used first
      else stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

export function openSqlite(file: string): Kysely<Tables> {
  const dialect = new CognateSqliteDialect({
    database: async () => {
      const db = new Database(file);
      configureConnection(db);
      // Password hashes and sealed secrets live here: owner-only, like the key files.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
      return withStatementCache(db);
    },
  });
  return new Kysely<Tables>({ dialect });
}
