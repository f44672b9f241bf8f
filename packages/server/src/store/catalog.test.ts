import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createTestSchema, testDatabase, testPostgresUrl, type TestSchema } from '../../test/helpers/database.ts';
import { tablesWithColumn } from './catalog.ts';
import { migrate } from './migrate.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';
import type { Tables } from './tables.ts';

// DeleteUserPool and DeleteUserPoolClient sweep every table with a pool_id or
// client_id column (pools.ts). The list must be exactly our schema's tables,
// and reading it must not fail while another deployment on the same
// PostgreSQL changes its schema (Kysely's stock introspection did, in CI:
// 42703; postgres-introspector.ts). Migrations list tables the same way.
describe(`tables with a column, from the catalog (${testDatabase()})`, () => {
  let db: Kysely<Tables>;
  let cleanup: () => Promise<void>;

  before(async () => {
    if (testDatabase() === 'postgres') {
      const schema: TestSchema = await createTestSchema();
      const opened = await openPostgres(schema.url, { poolSize: 2, timeoutMs: 10_000 });
      db = opened.db;
      await migrate(db as never, { schema: opened.schema });
      cleanup = async () => {
        await db.destroy();
        await schema.drop();
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'cognate-catalog-'));
      db = openSqlite(join(dir, 'catalog.db'));
      await migrate(db as never);
      cleanup = async () => {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  after(() => cleanup());

  it('names the tables that have the column, and no others', async () => {
    const withPool = await tablesWithColumn(db, 'pool_id');
    assert.ok(withPool.includes('user_pool_clients') && withPool.includes('users'), withPool.join(', '));
    assert.ok(!withPool.includes('user_pools'), 'user_pools keys pools by id');
    const withClient = await tablesWithColumn(db, 'client_id');
    assert.ok(withClient.includes('user_pool_clients') && withClient.includes('client_secrets'), withClient.join(', '));
    assert.deepEqual(await tablesWithColumn(db, 'no_such_column'), []);
    // Exactly the tables another reading of the catalog finds.
    for (const column of ['pool_id', 'client_id', 'sub']) assert.deepEqual(await tablesWithColumn(db, column), await oracle(column), column);
  });

  // Another reading of the catalog: information_schema on PostgreSQL (current schema only), pragma_table_info on SQLite.
  const oracle = async (column: string): Promise<string[]> => {
    if (testDatabase() === 'postgres') {
      const r = await sql<{
        name: string;
      }>`SELECT c.table_name AS name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.column_name = ${column}`.execute(
        db,
      );
      return r.rows.map((row) => row.name).sort();
    }
    const r = await sql<{
      name: string;
    }>`SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'kysely_%' AND p.name = ${column}`.execute(
      db,
    );
    return r.rows.map((row) => row.name).sort();
  };

  // Another deployment's migrations, as seen from ours: a column renamed and
  // tables created and dropped in its schema, over and over, while `during` runs.
  const withChurn = async (during: () => Promise<void>): Promise<void> => {
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    const other = `cognate_t_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(4).toString('hex')}`;
    let stop = false;
    let churn: Promise<void> = Promise.resolve();
    try {
      await admin.query(`CREATE SCHEMA "${other}"; CREATE TABLE "${other}".zz_renamed (pool_id text, a text)`);
      churn = (async () => {
        for (let i = 0; !stop; i++) {
          await admin.query(`ALTER TABLE "${other}".zz_renamed RENAME COLUMN ${i % 2 ? 'b' : 'a'} TO ${i % 2 ? 'a' : 'b'}`);
          await admin.query(`CREATE TABLE "${other}".zz_t${i} (pool_id text); DROP TABLE "${other}".zz_t${i}`);
        }
      })();
      await during();
    } finally {
      stop = true;
      await churn;
      await admin.query(`DROP SCHEMA IF EXISTS "${other}" CASCADE`);
      await admin.end();
    }
  };

  // SQLite has one schema per file: nothing to ignore there.
  if (testDatabase() === 'postgres') {
    it('ignores other schemas, and keeps answering while their columns are renamed and tables dropped', async () => {
      const expected = await tablesWithColumn(db, 'pool_id');
      assert.ok(!expected.includes('zz_renamed'));
      await withChurn(async () => {
        for (let i = 0; i < 300; i++) assert.deepEqual(await tablesWithColumn(db, 'pool_id'), expected);
      });
    });

    it('migrates a fresh schema while another schema changes, at the first try', async () => {
      const schema = await createTestSchema();
      const opened = await openPostgres(schema.url, { poolSize: 2, timeoutMs: 10_000 });
      try {
        await withChurn(async () => {
          await migrate(opened.db as never, { schema: opened.schema });
        });
        assert.deepEqual(await tablesWithColumn(opened.db, 'pool_id'), await tablesWithColumn(db, 'pool_id'));
      } finally {
        await opened.db.destroy();
        await schema.drop();
      }
    });
  }
});
