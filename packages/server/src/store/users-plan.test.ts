import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { migrate } from './migrate.ts';
import { openSqlite } from './sqlite.ts';
import { attributeQueries } from './users.ts';

// SQLite gathers no statistics by itself, so a plan that is fast only after
// ANALYZE is slow in every real deployment that grew its pool one sign-up at
// a time. The lookup of a user by email (ListUsers `email = "…"`) must start
// from the attribute index on a fresh database, not walk the pool.
describe('users by attribute (sign-in by email, ListUsers), query plans without statistics (SQLite)', () => {
  it('starts from the (pool_id, name, value_key) index and reaches users by primary key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-plan-'));
    const db = openSqlite(join(dir, 'plan.db'));
    try {
      await migrate(db as never);
      for (const [which, query] of Object.entries(attributeQueries(db))) {
        const plan = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]))).rows.map(
          (r) => `${which}: ${r.detail}`,
        );
        assert.match(plan[0]!, /: SEARCH a USING (COVERING )?INDEX user_attributes_lookup \(pool_id=\? AND name=\? AND value_key=\?\)/, plan.join('\n'));
        assert.ok(
          plan.some((d) => /: SEARCH users USING INDEX sqlite_autoindex_users_1 \(sub=\?\)/.test(d)),
          plan.join('\n'),
        );
        assert.ok(!plan.some((d) => d.includes('users_pool_created') || d.includes(': SCAN')), plan.join('\n'));
      }
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
