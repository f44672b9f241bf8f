import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { configureConnection, openSqlite } from './sqlite.ts';

describe('SQLite durability settings', () => {
  it('sets WAL and synchronous=FULL on every connection, including reopened WAL databases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-sqlite-'));
    try {
      const file = join(dir, 'x.db');
      for (let i = 0; i < 2; i++) {
        const db = openSqlite(file);
        const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
        const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
        assert.equal(sync.rows[0]?.synchronous, 2);
        assert.equal(journal.rows[0]?.journal_mode, 'wal');
        await db.destroy();
      }
      // A plain reopen of the WAL database runs at NORMAL (1): the reason every connection sets and checks FULL.
      const plain = new Database(file);
      assert.equal(plain.pragma('synchronous', { simple: true }), 1);
      configureConnection(plain);
      assert.equal(plain.pragma('synchronous', { simple: true }), 2);
      plain.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
