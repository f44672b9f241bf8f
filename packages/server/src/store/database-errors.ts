// What went wrong with the database, in words an operator and a caller can
// act on. Every request that meets one of these answers Cognito's error for
// an internal failure (InternalErrorException, HTTP 500: the SDKs retry it)
// with a message that names the kind, never the statement, a value or the
// connection string. Anything not listed here is a bug, not a fault of the
// database, and keeps the generic answer.

export type DatabaseFaultKind = 'unavailable' | 'timeout' | 'full' | 'read-only' | 'locked' | 'io';

export class DatabaseFault extends Error {
  constructor(
    readonly kind: DatabaseFaultKind,
    /** The driver's error code (SQLSTATE, SQLITE_*, errno) or message, for the log only. */
    readonly detail: string,
  ) {
    super(`database ${kind}: ${detail}`);
    this.name = 'DatabaseFault';
  }
}

/** What is wrong, in words for a caller, a readiness probe and the start-up line. */
export const FAULT_REASONS: Record<DatabaseFaultKind, string> = {
  unavailable: 'the database cannot be reached',
  timeout: 'the database did not answer in time',
  full: 'the database is full',
  'read-only': 'the database is read-only',
  locked: 'the database is locked by another process',
  io: 'the database could not read or write its storage',
};

/** What a caller reads in the InternalErrorException message. */
export const faultMessage = (kind: DatabaseFaultKind): string => `Internal server error: ${FAULT_REASONS[kind]}.`;

// PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const PG_CODES: Record<string, DatabaseFaultKind> = {
  '57P01': 'unavailable', // admin_shutdown: the server is stopping
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now: starting up or in recovery
  '57014': 'timeout', // query_canceled: statement_timeout
  '25P03': 'timeout', // idle_in_transaction_session_timeout
  '55P03': 'timeout', // lock_not_available: lock_timeout
  '53100': 'full', // disk_full
  '53200': 'unavailable', // out_of_memory
  '53300': 'unavailable', // too_many_connections
  '25006': 'read-only', // read_only_sql_transaction: a standby after failover, before promotion
  '58030': 'io', // io_error
};

// Errors of the socket or of node-postgres itself, which carry no SQLSTATE.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_CLIENT_MESSAGES: [RegExp, DatabaseFaultKind][] = [
  [/^Connection terminated/, 'unavailable'],
  [/^Client has encountered a connection error and is not queryable/, 'unavailable'],
  [/^timeout exceeded when trying to connect/, 'timeout'],
  [/^Query read timeout/, 'timeout'],
  [/^Cannot use a pool after calling end/, 'unavailable'],
];

/** The fault an error from either database reports, or null when it is not a fault of the database. */
export function databaseFault(err: unknown): DatabaseFault | null {
  if (err instanceof DatabaseFault) return err;
  if (typeof err !== 'object' || err === null) return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    const sqlite = sqliteKind(code);
    if (sqlite) return new DatabaseFault(sqlite, code);
    // Class 08: connection exception (08000, 08003, 08006, 08001, 08004...).
    if (code.startsWith('08')) return new DatabaseFault('unavailable', code);
    const pg = PG_CODES[code];
    if (pg) return new DatabaseFault(pg, code);
    if (NETWORK_CODES.has(code)) return new DatabaseFault('unavailable', code);
  }
  if (typeof message === 'string') {
    for (const [pattern, kind] of PG_CLIENT_MESSAGES) if (pattern.test(message)) return new DatabaseFault(kind, message);
  }
  return null;
}

// SQLite result codes (https://www.sqlite.org/rescode.html), as better-sqlite3 names them.
function sqliteKind(code: string): DatabaseFaultKind | null {
  if (!code.startsWith('SQLITE_')) return null;
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return 'io';
  return null;
}
