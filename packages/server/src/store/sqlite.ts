import { chmodSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
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

export function openSqlite(file: string): Kysely<Tables> {
  const dialect = new SqliteDialect({
    database: async () => {
      const db = new Database(file);
      configureConnection(db);
      // Password hashes and sealed secrets live here: owner-only, like the key files.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
      return db;
    },
  });
  return new Kysely<Tables>({ dialect });
}
