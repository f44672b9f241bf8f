import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Which database the black-box suite runs on: `COGNATE_TEST_DB=postgres`
 * (set by scripts/run-tests.js for its second pass) or SQLite by default.
 */
export const testDatabase = (): 'sqlite' | 'postgres' => (process.env['COGNATE_TEST_DB'] === 'postgres' ? 'postgres' : 'sqlite');

/** The PostgreSQL the tests use; each server gets its own schema in it. */
export const testPostgresUrl = (): string => process.env['COGNATE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  /** A --database-url selecting the schema. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty schema `cognate_t_<time>_<random>`, so concurrent test files and
 * concurrent runs never see each other's rows; `drop` removes it with all
 * it holds. Cognate itself creates the schema named in the URL; it is
 * created here too so a test can also open it directly.
 */
export async function createTestSchema(): Promise<TestSchema> {
  // The creation time (seconds, base 36) lets scripts/run-tests.js drop schemas a killed run left behind.
  const name = `cognate_t_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(6).toString('hex')}`;
  const base = testPostgresUrl();
  await adminQuery(base, `CREATE SCHEMA "${name}"`);
  const url = new URL(base);
  url.searchParams.set('schema', name);
  return { url: url.toString(), name, drop: () => adminQuery(base, `DROP SCHEMA IF EXISTS "${name}" CASCADE`) };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
