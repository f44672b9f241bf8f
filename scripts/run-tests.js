// Runs every *.test.ts under src/ and test/ of the package in the current
// directory with Node's built-in test runner (Node 20 has no --test glob),
// TypeScript loaded through tsx. Arguments keep only files whose path
// contains one of them: `npm -w @cognate/server test -- tokens`.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const only = process.argv.slice(2);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

let files = [...collect(join(root, 'src')), ...collect(join(root, 'test'))].map((f) => relative(root, f)).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (!files.length) {
  console.error('No test files matched.');
  process.exit(1);
}
const run = (env) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
    .status ?? 1;

// The server's suites run on both databases: SQLite, then PostgreSQL
// (COGNATE_TEST_DB, read by test/helpers). COGNATE_TEST_DB=sqlite or
// =postgres runs that one pass only. PostgreSQL is the one at
// COGNATE_TEST_DATABASE_URL (default 127.0.0.1:5432, database test); when it
// cannot be reached the pass is skipped with a loud warning, or, under
// CI=true, the run fails.
const isServer = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name === '@cognate/server';
const chosen = process.env.COGNATE_TEST_DB;
if (!isServer || chosen === 'sqlite') process.exit(run({ COGNATE_TEST_DB: 'sqlite' }));
if (chosen === 'postgres') process.exit(run({ COGNATE_TEST_DB: 'postgres' }));

const sqliteStatus = run({ COGNATE_TEST_DB: 'sqlite' });
const url = process.env.COGNATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const unreachable = await postgresProblem(url);
if (unreachable) {
  const banner = '!'.repeat(78);
  console.error(`\n${banner}\n!! PostgreSQL at ${redact(url)} is unreachable: ${unreachable}`);
  if (process.env.CI === 'true') {
    console.error(`!! CI=true: the PostgreSQL pass is required. FAILING.\n${banner}\n`);
    process.exit(1);
  }
  console.error(`!! SKIPPING THE POSTGRESQL PASS: only SQLite was tested.\n${banner}\n`);
  process.exit(sqliteStatus);
}
await dropStaleSchemas(url);
console.log(`\n# PostgreSQL pass (${redact(url)})\n`);
const postgresStatus = run({ COGNATE_TEST_DB: 'postgres', COGNATE_TEST_DATABASE_URL: url });
console.log(`\n# SQLite pass: ${sqliteStatus === 0 ? 'passed' : 'FAILED'}; PostgreSQL pass: ${postgresStatus === 0 ? 'passed' : 'FAILED'}`);
process.exit(sqliteStatus || postgresStatus);

/** Null when a connection and a query succeed within five seconds, else why not. */
async function postgresProblem(connectionString) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Each test server works in a schema `cognate_t_<seconds, base 36>_<random>`
 * (test/helpers/database.ts) and drops it at stop; a killed run cannot. Those
 * older than two hours, which no test run lasts, are dropped here.
 */
async function dropStaleSchemas(connectionString) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'cognate\\_t\\_%'");
    const cutoff = Date.now() / 1000 - 2 * 3600;
    for (const { nspname } of rows) {
      const m = /^cognate_t_([0-9a-z]+)_[0-9a-f]+$/.exec(nspname);
      if (m && parseInt(m[1], 36) < cutoff) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}

function redact(u) {
  try {
    const parsed = new URL(u);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
