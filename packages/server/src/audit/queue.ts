import type { Store } from '../store/store.ts';
import type { AuditEntry } from '../store/audit.ts';
import { databaseFault } from '../store/database-errors.ts';

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
// calls); the operations themselves commit as before. Batches also commit
// without waiting for the disk (Store.transaction's 'relaxed' commit), except
// one a second: on SQLite each wait is an fsync that blocks the event loop,
// and at 20 flushes a second they were a tenth of a read-only call's CPU. A
// power cut (not a process crash) can therefore lose up to about a second
// of records; the chain left behind is still a valid prefix. The queue is bounded:
// once `maxQueued` records wait, further requests wait for the flush in
// progress before answering (back-pressure) rather than dropping records.
//
// A batch that cannot be written (the database restarting, failing over,
// full) goes back to the head of the queue, in order, and is tried again
// after `retryMs`, doubling up to MAX_RETRY_MS while it keeps failing (on
// SQLite a write to a database locked elsewhere blocks the event loop for
// the busy timeout: retried every second, it would starve the reads the
// node can still serve). A short outage loses no record. Only what would push the
// queue past `maxQueued` while the database stays away is dropped (oldest
// first, counted and logged through onFailure), as is what is still queued
// when the process stops with the database gone.

export interface AuditQueueOptions {
  /** How long a record may wait for company before its batch is written. */
  intervalMs: number;
  /** Records per transaction; a full batch is written at once. */
  maxBatch: number;
  /** Records queued beyond this make the request wait for a flush. */
  maxQueued: number;
  /** How long after a failed write the queue tries again. */
  retryMs: number;
  /** A write failed; `lost` records were dropped for good (0 when all are kept for the retry). Counted and logged by the caller. */
  onFailure: (err: Error, lost: number) => void;
}

const MAX_RETRY_MS = 30_000;
/** The longest a committed batch waits for a commit that reaches the disk (bounds what a power cut can take). */
const DURABLE_EVERY_MS = 1_000;

export const AUDIT_QUEUE_DEFAULTS = { intervalMs: 50, maxBatch: 500, maxQueued: 10_000, retryMs: 1_000 } as const;

export class AuditQueue {
  private queue: AuditEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  // Set by a failed write: no automatic write before this time (monotonic ms), and whether the failure was reported.
  private retryAfter = 0;
  private failing = false;
  private retryMs: number;
  // Records dropped from a full queue since the last report: reported once per write attempt, not once per request.
  private dropped = 0;
  private lastDurableAt = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly opts: AuditQueueOptions,
  ) {
    this.retryMs = opts.retryMs;
  }

  /** Queues a record. Returns a promise only when the queue is full: await it before answering. */
  add(entry: AuditEntry): Promise<void> | undefined {
    this.queue.push(entry);
    if (this.queue.length >= this.opts.maxQueued) {
      // The database is away: hold no request for it, keep the newest records.
      if (performance.now() < this.retryAfter) {
        this.dropped += this.trimExcess();
        return undefined;
      }
      return this.flush();
    }
    if (this.queue.length >= this.opts.maxBatch) this.kick(0);
    else this.kick(this.opts.intervalMs);
    return undefined;
  }

  /**
   * Writes every record queued so far; resolves once they are committed, or
   * the write failed (they wait for the retry). Within the pause after a
   * failed write it tries nothing, unless `force` (shutdown, tests): requests
   * held by a full queue must not each wait for another attempt.
   */
  async flush(force = false): Promise<void> {
    this.clearTimer();
    // One flush at a time: a second caller waits for the running one, then writes what is left.
    while (this.running) await this.running;
    if (this.queue.length === 0) return;
    if (!force && performance.now() < this.retryAfter) return;
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

  /** Records still queued are dropped and reported (the process is stopping and could not write them). */
  abandon(err: Error): void {
    const lost = this.queue.length + this.dropped;
    this.queue = [];
    this.dropped = 0;
    this.clearTimer();
    if (lost > 0) this.opts.onFailure(err, lost);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      try {
        // The audit chain's own lock on PostgreSQL: a batch does not queue behind operations' transactions (store/postgres.ts).
        // Most batches commit without waiting for the disk; one a second at least waits, which makes every earlier one durable too.
        const durable = performance.now() - this.lastDurableAt >= DURABLE_EVERY_MS;
        await this.store.transaction((tx) => tx.audit.appendMany(batch), 'audit', durable ? 'durable' : 'relaxed');
        if (durable) this.lastDurableAt = performance.now();
      } catch (err) {
        if (!databaseFault(err)) {
          // Not the database being away: this batch would fail again at every
          // retry (a value the database refuses) and hold every later record
          // behind it. Given up, loudly, as before retries existed.
          this.opts.onFailure(err as Error, batch.length);
          continue;
        }
        // Back at the head, in order; the oldest beyond the bound are given up.
        this.queue.unshift(...batch);
        const lost = this.trimExcess() + this.dropped;
        this.dropped = 0;
        if (lost > 0) this.opts.onFailure(err as Error, lost);
        // Reported once per outage (and whenever records are dropped), not at every retry.
        else if (!this.failing) this.opts.onFailure(err as Error, 0);
        this.failing = true;
        this.retryAfter = performance.now() + this.retryMs;
        this.kick(this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
        return;
      }
      if (this.dropped > 0) this.opts.onFailure(new Error('the audit queue was full while the database was unavailable'), this.dropped);
      this.dropped = 0;
      this.failing = false;
      this.retryAfter = 0;
      this.retryMs = this.opts.retryMs;
    }
  }

  /** Drops the oldest records beyond `maxQueued`; returns how many (the caller reports them). */
  private trimExcess(): number {
    const excess = Math.max(0, this.queue.length - this.opts.maxQueued);
    if (excess > 0) this.queue.splice(0, excess);
    return excess;
  }

  private kick(requestedMs: number): void {
    // After a failed write, nothing is tried before the retry time, however full the batch.
    const delayMs = Math.max(requestedMs, Math.ceil(this.retryAfter - performance.now()));
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
