import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { migrate } from './migrate.ts';
import { optimizeSqlite } from './sqlite-statistics.ts';
import { openSqlite } from './sqlite.ts';

describe('SQLite planner statistics', () => {
  it('are gathered for a pool that grew without ANALYZE (users and their attribute index)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-stats-'));
    const file = join(dir, 'stats.db');
    const db = openSqlite(file);
    try {
      await migrate(db as never);
      // 5,000 users written straight into the file, as years of sign-ups would leave them.
      const raw = new Database(file);
      raw.pragma('foreign_keys = OFF');
      const user = raw.prepare(
        `INSERT INTO users (sub, pool_id, username, username_key, status, enabled, created_at, updated_at, password_hash) VALUES (?, 'p', ?, ?, 'CONFIRMED', 1, ?, ?, 'x')`,
      );
      const attr = raw.prepare(`INSERT INTO user_attributes (sub, pool_id, name, value, value_key) VALUES (?, 'p', 'email', ?, ?)`);
      raw.transaction(() => {
        for (let i = 0; i < 5000; i++) {
          user.run(`s${i}`, `u${i}`, `u${i}`, i, i);
          attr.run(`s${i}`, `u${i}@example.com`, `u${i}@example.com`);
        }
      })();
      raw.close();
      const statTables = async () => {
        const exists = (await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db)).rows[0]!.n > 0;
        if (!exists) return [];
        return (await sql<{ idx: string }>`SELECT idx FROM sqlite_stat1 WHERE tbl IN ('users', 'user_attributes')`.execute(db)).rows.map((r) => r.idx);
      };
      assert.deepEqual(await statTables(), []);
      await optimizeSqlite(db);
      const indexes = await statTables();
      assert.ok(indexes.includes('user_attributes_lookup'), indexes.join(', '));
      assert.ok(indexes.includes('users_pool_created'), indexes.join(', '));
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
