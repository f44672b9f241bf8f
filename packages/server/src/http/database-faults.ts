import type { FastifyBaseLogger } from 'fastify';
import type { DatabaseFaultKind } from '../store/database-errors.ts';
import type { Metrics } from './metrics.ts';

// During an outage every request fails the same way, hundreds a second: one
// log line per request would bury everything else and cost the node more
// than the requests. The first fault of each kind is logged at once; the
// rest within the next LOG_EVERY_MS are counted and summed up in one line
// when the window has passed. The counters in /metrics see every one.
const LOG_EVERY_MS = 10_000;

export class DatabaseFaultReporter {
  private readonly windows = new Map<string, { since: number; suppressed: number }>();

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly metrics: Metrics,
  ) {}

  /** A request answered InternalErrorException because of the database. */
  request(kind: DatabaseFaultKind, detail: string, reqId: string): void {
    this.metrics.databaseFaults.inc({ kind });
    this.throttled(`request:${kind}`, (suppressed) =>
      this.log.error({ reqId, kind, detail, suppressed }, `database ${kind}: request answered InternalErrorException`),
    );
  }

  /** A pooled connection broke (server stopped or failed over, network): it is discarded and replaced. */
  connection(err: Error): void {
    this.metrics.databaseConnectionErrors.inc();
    const detail = (err as { code?: unknown }).code ?? err.message;
    this.throttled('connection', (suppressed) => this.log.warn({ detail: String(detail), suppressed }, 'database connection lost; it is replaced on next use'));
  }

  private throttled(key: string, write: (suppressed: number) => void): void {
    const now = performance.now();
    const window = this.windows.get(key);
    if (window && now - window.since < LOG_EVERY_MS) {
      window.suppressed++;
      return;
    }
    write(window?.suppressed ?? 0);
    this.windows.set(key, { since: now, suppressed: 0 });
  }
}
