import type { Store } from '../store/store.ts';
import type { AuditEntry } from '../store/audit.ts';

// Group commit for the audit trail. Committing one record per request cost
// every call, reads included, a transaction of its own before it could
// answer: an fsync on SQLite (which blocks the event loop: better-sqlite3 is
// synchronous) and the schema-wide transaction lock on PostgreSQL. Records
// are instead queued in memory in arrival order and appended in batches, one
// transaction per batch, so one commit serves every request that answered
// meanwhile. The chain stays linear: only one flush runs at a time, a batch
// is appended in queue order, and each flush reads the head inside its
// transaction (store/audit.ts appendMany).
//
// Trade-off (docs/audit.md): the answer no longer waits for its record, so a
// crash loses at most the records queued since the last flush (a few ms of
// calls); the operations themselves commit as before. The queue is bounded:
// once `maxQueued` records wait, further requests wait for the flush in
// progress before answering (back-pressure) rather than dropping records.

export interface AuditQueueOptions {
  /** How long a record may wait for company before its batch is written. */
  intervalMs: number;
  /** Records per transaction; a full batch is written at once. */
  maxBatch: number;
  /** Records queued beyond this make the request wait for a flush. */
  maxQueued: number;
  /** A batch could not be written: its records are lost (counted and logged by the caller). */
  onFailure: (err: Error, lost: number) => void;
}

export const AUDIT_QUEUE_DEFAULTS = { intervalMs: 50, maxBatch: 500, maxQueued: 10_000 } as const;

export class AuditQueue {
  private queue: AuditEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly opts: AuditQueueOptions,
  ) {}

  /** Queues a record. Returns a promise only when the queue is full: await it before answering. */
  add(entry: AuditEntry): Promise<void> | undefined {
    this.queue.push(entry);
    if (this.queue.length >= this.opts.maxQueued) return this.flush();
    if (this.queue.length >= this.opts.maxBatch) this.kick(0);
    else this.kick(this.opts.intervalMs);
    return undefined;
  }

  /** Writes every record queued so far; resolves once they are committed (or counted as lost). */
  async flush(): Promise<void> {
    this.clearTimer();
    // One flush at a time: a second caller waits for the running one, then writes what is left.
    while (this.running) await this.running;
    if (this.queue.length === 0) return;
    this.running = this.drain();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }

  /** The number of records waiting (for tests and metrics). */
  get pending(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      try {
        // The audit chain's own lock on PostgreSQL: a batch does not queue behind operations' transactions (store/postgres.ts).
        await this.store.transaction((tx) => tx.audit.appendMany(batch), 'audit');
      } catch (err) {
        this.opts.onFailure(err as Error, batch.length);
      }
    }
  }

  private kick(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
    // Never the reason a process stays up: close() flushes what is left.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
