import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { prepared } from './prepared.ts';
import { openSqlite } from './sqlite.ts';
import type { Tables } from './tables.ts';

const byUsername = prepared((db, poolId: string, key: string) =>
  db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', key).limit(1),
);

describe('prepared queries', () => {
  it('give, for each dialect, the SQL and parameters a fresh build gives, with these arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-prepared-'));
    const sqlite = openSqlite(join(dir, 'x.db'));
    // Compiling needs no connection: the pool is never used.
    const postgres = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: new pg.Pool({ max: 1 }) }) });
    try {
      for (const db of [sqlite, postgres, sqlite, postgres]) {
        for (const [pool, key] of [
          ['us-east-1_a', 'alice'],
          ['us-east-1_b', "o'brien"],
        ] as const) {
          const fresh = db.selectFrom('users').selectAll().where('pool_id', '=', pool).where('username_key', '=', key).limit(1).compile();
          const fast = byUsername(db, pool, key);
          assert.equal(fast.sql, fresh.sql);
          assert.deepEqual(fast.parameters, fresh.parameters);
        }
      }
      assert.notEqual(byUsername(sqlite, 'p', 'k').sql, byUsername(postgres, 'p', 'k').sql); // `?` against `$1`
    } finally {
      await sqlite.destroy();
      await postgres.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a build that does not pass an argument through as a parameter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-prepared-'));
    const db = openSqlite(join(dir, 'x.db'));
    try {
      const ignoresItsArgument = prepared((d, _sub: string) => d.selectFrom('users').selectAll().where('sub', '=', 'fixed'));
      assert.throws(() => ignoresItsArgument(db, 'abc'), /does not use each argument/);
    } finally {
      void db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
