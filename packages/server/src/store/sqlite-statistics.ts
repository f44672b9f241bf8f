import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { startPeriodicJob, type PeriodicJob } from '../jobs/periodic.ts';
import type { Tables } from './tables.ts';

// SQLite never gathers planner statistics by itself (PostgreSQL's autovacuum
// does). Without them its planner judged a pool's users by the index that
// serves ORDER BY, so a ListUsers prefix search walked the whole pool: fast
// after ANALYZE, slow in every deployment that grew one sign-up at a time.
// SQLite's advice for long-lived connections is `PRAGMA optimize` when the
// database opens and now and then after; with 0x10002 it looks at every
// table (not only those this connection queried), analysing those without
// statistics and re-analysing those that grew or shrank a lot. It caps the
// rows it reads: about 70 ms on 50,000 users here, and a prefix ListUsers
// went from 15 ms to 2 ms.

/** How often the statistics are refreshed. */
export const SQLITE_OPTIMIZE_INTERVAL_MS = 60 * 60 * 1000;

export async function optimizeSqlite(db: Kysely<Tables>): Promise<void> {
  await sql.raw('PRAGMA optimize=0x10002').execute(db);
}

export function startSqliteStatistics(db: Kysely<Tables>, log: FastifyBaseLogger, intervalMs = SQLITE_OPTIMIZE_INTERVAL_MS): PeriodicJob<void> {
  return startPeriodicJob({ intervalMs, log, run: () => optimizeSqlite(db), done: () => undefined, failed: 'SQLite statistics refresh failed' });
}
