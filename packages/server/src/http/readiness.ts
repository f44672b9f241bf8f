import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { DatabaseFault, databaseFault, FAULT_REASONS } from '../store/database-errors.ts';
import type { Tables } from '../store/tables.ts';
import type { Metrics } from './metrics.ts';

// GET /health says the process is alive (a liveness probe: restart it if
// not). GET /ready says whether this node can reach its database right now
// (a readiness probe: send it traffic or not). A node whose database is down
// is alive, and restarting it would not help; it only should not get
// requests until the database is back, which it notices on its own.
//
// The probe is one `SELECT 1` through the same connection pool the requests
// use, so a pool exhausted by stuck requests also reads as not ready. Its
// answer is kept for CACHE_MS and concurrent probes share one query, so an
// unauthenticated caller hammering /ready costs at most one query per period.
const CACHE_MS = 500;
const PROBE_TIMEOUT_MS = 2_000;

interface Readiness {
  ready: boolean;
  reason: string | null;
}

export function registerReadiness(app: FastifyInstance, db: Kysely<Tables>, kind: 'sqlite' | 'postgres', metrics: Metrics): void {
  let last: { at: number; value: Readiness } | null = null;
  let inFlight: Promise<Readiness> | null = null;
  // The probe's query itself, which may outlive the answer's time limit: no second one starts while it runs.
  let query: Promise<unknown> | null = null;

  const probe = async (): Promise<Readiness> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseFault('timeout', 'readiness probe')), PROBE_TIMEOUT_MS);
    });
    try {
      query ??= sql`SELECT 1`.execute(db).finally(() => {
        query = null;
      });
      await Promise.race([query, timeout]);
      return { ready: true, reason: null };
    } catch (err) {
      const fault = databaseFault(err);
      return { ready: false, reason: `${fault ? FAULT_REASONS[fault.kind] : 'the database check failed'}.` };
    } finally {
      clearTimeout(timer);
    }
  };

  const check = async (): Promise<Readiness> => {
    const now = performance.now();
    if (last && now - last.at < CACHE_MS) return last.value;
    inFlight ??= probe().finally(() => (inFlight = null));
    const value = await inFlight;
    last = { at: performance.now(), value };
    metrics.databaseReady.set(value.ready ? 1 : 0);
    return value;
  };

  app.get('/ready', async (_req, reply) => {
    const { ready, reason } = await check();
    reply.header('cache-control', 'no-store');
    if (ready) return { status: 'ready', database: kind };
    return reply.code(503).send({ status: 'not-ready', database: kind, reason });
  });
}
