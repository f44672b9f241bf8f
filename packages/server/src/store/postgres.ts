import { Kysely, PostgresAdapter, PostgresDialect, PostgresDriver, sql, type DatabaseIntrospector, type Driver, type PostgresDialectConfig } from 'kysely';
import { databaseFault } from './database-errors.ts';
import pg from 'pg';
import { OwnSchemaIntrospector } from './postgres-introspector.ts';
import type { Tables } from './tables.ts';

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresTarget {
  /** The connection URL without Cognate's own `schema` parameter. */
  url: string;
  /** The schema Cognate's tables live in (search_path), or null for the server's default (usually `public`). */
  schema: string | null;
}

/**
 * Splits Cognate's `?schema=NAME` off a postgres:// URL (pg does not know
 * it). The name is restricted to plain lower-case identifiers because it is
 * spliced into `SET search_path`, where no bind parameter is allowed.
 */
export function parsePostgresUrl(raw: string): PostgresTarget {
  const url = new URL(raw);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('must be a postgres:// URL');
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) throw new Error('schema must be a lower-case identifier (a-z, 0-9, _)');
  return { url: url.toString(), schema };
}

// Every BIGINT column holds epoch milliseconds or a counter, far inside
// Number's exact range, so int8 comes back as a number and rows look exactly
// as they do on SQLite. A value outside the safe range is refused rather
// than silently rounded.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') {
      return (value: string): number => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new Error('bigint value outside the safe integer range');
        return n;
      };
    }
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
};

/**
 * Opens a pooled PostgreSQL store. Every connection starts with
 * synchronous_commit=on (a server or role default of `off` would let a crash
 * lose commits already acknowledged to clients) and Cognate's schema as its
 * search_path, given as startup options after any the URL carries, so ours
 * win; `openPostgres` then reads the setting back and refuses to run if it
 * did not take, as openSqlite does for synchronous=FULL.
 */
export interface PostgresLimits {
  poolSize: number;
  /**
   * Longest a statement may run, a transaction may sit idle, or a request may
   * wait for a connection (ms); null for none (migrations, which may rewrite
   * big tables and wait for another node's migrations).
   */
  timeoutMs: number | null;
  /** Told about a connection that broke (server stopped, failover, network): logged, never thrown. */
  onConnectionError?: (err: Error) => void;
}

export async function openPostgres(rawUrl: string, limits: PostgresLimits): Promise<{ db: Kysely<Tables>; schema: string }> {
  const target = parsePostgresUrl(rawUrl);
  if (target.schema !== null) await createSchema(target.url, target.schema);
  const url = new URL(target.url);
  const given = url.searchParams.get('options');
  url.searchParams.delete('options');
  // The server cancels a statement (a lock wait included) past the limit, and
  // ends a session left idle inside a transaction past it; no stuck request
  // holds a connection, or the schema's transaction lock, for longer.
  const limit = limits.timeoutMs;
  const timeouts = limit === null ? [] : [`-c statement_timeout=${limit}`, `-c idle_in_transaction_session_timeout=${limit}`];
  const options = [given ?? '', '-c synchronous_commit=on', ...timeouts, target.schema !== null ? `-c search_path=${target.schema}` : '']
    .filter(Boolean)
    .join(' ');
  const pool = new pg.Pool({
    Client: BoundedClient,
    connectionString: url.toString(),
    options,
    max: limits.poolSize,
    types,
    // A request waiting this long for a free (or new) connection fails instead of hanging.
    connectionTimeoutMillis: limit ?? 30_000,
    // A server that stops answering without closing the socket (a partition, a
    // frozen host) cannot cancel anything itself: the client gives up a little
    // after the server-side limit would have fired, and BoundedClient drops the connection.
    ...(limit === null ? {} : { query_timeout: limit + CLIENT_GRACE_MS }),
    keepAlive: true,
  });
  const report = limits.onConnectionError ?? (() => undefined);
  // pg-pool listens for errors only on idle clients. A checked-out client
  // (inside a transaction, between two statements) whose server goes away
  // (restart, failover: 57P01) emits 'error' with no listener, and that ends
  // the process. Every client gets a listener for its whole life; the broken
  // client is no longer queryable, so the pool discards it at release and the
  // next request connects anew.
  pool.on('connect', (client) => client.on('error', report));
  pool.on('error', report);
  const dialect = new OwnSchemaDialect({ pool });
  const db = new Kysely<Tables>({ dialect });
  try {
    const setting = await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db);
    const value = setting.rows[0]?.synchronous_commit;
    if (value !== 'on' && value !== 'remote_apply') throw new Error(`PostgreSQL durability setting did not take (synchronous_commit=${String(value)})`);
    const current = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
    const schema = current.rows[0]?.schema;
    if (!schema) throw new Error(`PostgreSQL schema ${target.schema ?? '(default)'} is not usable: no current schema`);
    return { db, schema };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

const CLIENT_GRACE_MS = 2_000;

/**
 * node-postgres rejects a query that outlives query_timeout but keeps the
 * connection, with the query still outstanding on it: the next user of that
 * connection would queue behind it. The connection is dropped instead, so the
 * pool replaces it.
 */
class BoundedClient extends pg.Client {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if (!(err instanceof Error && err.message === 'Query read timeout')) return;
        // Unusable from now on, before Kysely (this handler runs first) releases
        // it: pg-pool would otherwise hand it to the next request while the
        // socket is still closing.
        (this as unknown as { _queryable: boolean })._queryable = false;
        this.connection.stream.destroy();
      });
    }
    return result as never;
  }
}

/** PostgreSQL whose introspection (migrations, pools.ts sweep) sees only our schema (postgres-introspector.ts). */
class OwnSchemaDialect extends PostgresDialect {
  constructor(private readonly settings: PostgresDialectConfig) {
    super(settings);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }

  override createDriver(): Driver {
    return new FaultTolerantRollbackDriver(this.settings);
  }
}

/**
 * A transaction whose connection broke (the server went away, or
 * BoundedClient dropped it) cannot be rolled back, and needs not be: the
 * server ends it with the session. Kysely would throw the ROLLBACK's own
 * failure ("Connection terminated") in place of the error that says what
 * happened (a timeout), so that failure is swallowed; any other is thrown.
 */
class FaultTolerantRollbackDriver extends PostgresDriver {
  override async rollbackTransaction(connection: Parameters<PostgresDriver['rollbackTransaction']>[0]): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      if (databaseFault(err) === null) throw err;
    }
  }
}

/** Creates the schema when missing; several nodes starting together may race here, which is fine. */
async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    // IF NOT EXISTS can still fail with a unique violation when two sessions create it at once.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (!exists.rowCount) throw err;
  } finally {
    await client.end();
  }
}

// Any number tagging Cognate's transaction lock; the second key is the schema, so deployments sharing a database do not wait on each other.
const TRANSACTION_LOCK_CLASS = 0x436f676e; // "Cogn"
// The audit chain's own lock (audit/queue.ts batches): see `TransactionLock`.
const AUDIT_LOCK_CLASS = 0x436f6741; // "CogA"

/**
 * Which lock a Store transaction takes on PostgreSQL. `store`: the
 * schema-wide lock below, for every transaction that reads, checks, then
 * writes operation state. `audit`: only for appending a batch to the audit
 * chain (store/audit.ts appendMany), whose one invariant is the chain head in
 * `audit_state`: appends need to run one at a time among themselves, not
 * behind every operation's transaction. Nothing else writes the head;
 * pruning (store lock) writes only the anchor columns of that row, and the
 * row lock of its UPDATE orders it against an append without losing either.
 */
export type TransactionLock = 'store' | 'audit';

/**
 * Called first in every Store transaction. On SQLite (one connection) whole
 * transactions never interleave, and the operations were written against
 * that: read, check, then write (an alias still free, a group name unused,
 * the next history number). PostgreSQL's READ COMMITTED would let two such
 * transactions pass the same check, so there every Store transaction first
 * takes one transaction-scoped advisory lock per schema: transactions
 * run one at a time as on SQLite, across all nodes, while reads and
 * single-statement writes outside transactions run concurrently (pure reads
 * never open a transaction). The lock is not narrowed to one pool: several
 * transactions guard invariants wider than a pool (operator keys, data and
 * signing keys, the lifecycle jobs that sweep every pool). No-op on SQLite.
 */
export async function serializeTransaction(trx: Kysely<Tables>, lock: TransactionLock = 'store'): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  const lockClass = lock === 'audit' ? AUDIT_LOCK_CLASS : TRANSACTION_LOCK_CLASS;
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(lockClass)}, hashtext(current_schema()))`.execute(trx);
}
