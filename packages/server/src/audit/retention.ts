import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../services/clock.ts';
import { startPeriodicJob, type PeriodicJob } from '../jobs/periodic.ts';
import type { Kysely } from 'kysely';
import { AuditStore } from '../store/audit.ts';
import { serializeTransaction } from '../store/postgres.ts';
import type { Store } from '../store/store.ts';
import type { Tables } from '../store/tables.ts';

const DAY_MS = 86_400_000;

/** Drops audit records older than the retention, leaving the chain anchored at the last one dropped. 0 days keeps everything. */
// Takes the bare database so `cognate audit prune` needs no master key; the
// transaction is serialised like every Store transaction (store/postgres.ts),
// so pruning never interleaves with an append.
export function pruneAudit(db: Kysely<Tables>, now: number, retentionDays: number): Promise<number> {
  if (retentionDays <= 0) return Promise.resolve(0);
  return db.transaction().execute(async (trx) => {
    await serializeTransaction(trx);
    return new AuditStore(trx).prune(now - retentionDays * DAY_MS, now);
  });
}

export type AuditPruning = PeriodicJob<number>;

/** Prunes on the same cadence as the other clean-up jobs (--purge-interval). */
export function startAuditPruning(deps: { store: Store; clock: Clock; log: FastifyBaseLogger }, retentionDays: number, intervalMs: number): AuditPruning {
  return startPeriodicJob({
    intervalMs,
    log: deps.log,
    // 0 days keeps everything: pruneAudit then does nothing.
    run: () => pruneAudit(deps.store.db, deps.clock.now(), retentionDays),
    done: (n) => {
      if (n > 0) deps.log.info({ pruned: n }, 'pruned audit records past retention');
    },
    failed: 'audit pruning failed',
  });
}
