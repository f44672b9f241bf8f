import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../services/clock.ts';
import { startPeriodicJob, type PeriodicJob } from '../jobs/periodic.ts';
import type { Kysely } from 'kysely';
import type { MasterKey } from '../crypto/master-key.ts';
import { AuditStore } from '../store/audit.ts';
import { serializeTransaction } from '../store/postgres.ts';
import type { Store } from '../store/store.ts';
import type { Tables } from '../store/tables.ts';

const DAY_MS = 86_400_000;

/** Drops audit records older than the retention, leaving the chain anchored at the last one dropped. 0 days keeps everything. */
// The pruning anchor is part of the chain state's MAC (store/audit.ts), so
// pruning needs the master key's keyring; the transaction is serialised like every Store transaction (store/postgres.ts),
// so pruning never interleaves with an append.
export function pruneAudit(db: Kysely<Tables>, master: MasterKey, now: number, retentionDays: number): Promise<number> {
  if (retentionDays <= 0) return Promise.resolve(0);
  return db.transaction().execute(async (trx) => {
    await serializeTransaction(trx);
    return new AuditStore(trx, master).prune(now - retentionDays * DAY_MS, now);
  });
}

export type AuditPruning = PeriodicJob<number>;

/** Prunes on the same cadence as the other clean-up jobs (--purge-interval). */
export function startAuditPruning(
  deps: { store: Store; master: MasterKey; clock: Clock; log: FastifyBaseLogger },
  retentionDays: number,
  intervalMs: number,
): AuditPruning {
  return startPeriodicJob({
    intervalMs,
    log: deps.log,
    // 0 days keeps everything: pruneAudit then does nothing.
    run: () => pruneAudit(deps.store.db, deps.master, deps.clock.now(), retentionDays),
    done: (n) => {
      if (n > 0) deps.log.info({ pruned: n }, 'pruned audit records past retention');
    },
    failed: 'audit pruning failed',
  });
}
