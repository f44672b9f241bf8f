import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { MasterKey } from '../crypto/master-key.ts';
import { DatabaseFault } from './database-errors.ts';
import { openSqlite } from './sqlite.ts';
import { Store } from './store.ts';
import { ReadCache } from './read-cache.ts';

describe('Store transactions with a deadline', () => {
  it('refuse the first statement past the deadline as a timeout, and roll back what the transaction wrote before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-deadline-'));
    const db = openSqlite(join(dir, 'db'));
    try {
      await sql`CREATE TABLE t (x INTEGER)`.execute(db);
      const store = new Store(db, MasterKey.fromBytes(randomBytes(32)), new ReadCache(0), 50);
      await assert.rejects(
        store.transaction(async (tx) => {
          await sql`INSERT INTO t VALUES (1)`.execute(tx.db);
          await sleep(80);
          await sql`INSERT INTO t VALUES (2)`.execute(tx.db);
        }),
        (err: unknown) => err instanceof DatabaseFault && err.kind === 'timeout',
      );
      const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(db);
      assert.equal(rows.rows[0]?.n, 0);
      // A transaction within its deadline commits.
      await store.transaction(async (tx) => {
        await sql`INSERT INTO t VALUES (3)`.execute(tx.db);
      });
      const after = await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(db);
      assert.equal(after.rows[0]?.n, 1);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
