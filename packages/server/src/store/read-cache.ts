import cluster from 'node:cluster';

// Pools, app clients (with their secrets), signing keys and whether any IP
// rules exist are read on every request and written almost never, yet they were about half of the queries
// of a refresh or a GetUser. A process keeps what it read for at most
// READ_CACHE_TTL_MS, so a change made on another node (or by the `cognate`
// CLI) applies everywhere within that bound (docs/deployment.md); a change
// made through this process empties its cache at once, and, under
// `--workers N`, the other workers' as soon as the primary relays the word
// (cli/workers.ts). Reads inside a transaction never use it: read-modify-write
// sees the database. Only rows found are kept: a lookup of something absent
// (an unknown kid or client ID, which anyone can send) always asks the
// database, so made-up keys can neither fill the cache nor flush it.

/** How long a node may serve a pool, client or signing key it has read. */
export const READ_CACHE_TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

export class ReadCache {
  private readonly entries = new Map<string, { value: unknown; until: number }>();
  // A load that started before a write must not put its (older) answer in
  // the cache after the write emptied it.
  private generation = 0;

  constructor(private readonly ttlMs = READ_CACHE_TTL_MS) {
    // A worker of `--workers N`: another worker's write empties this cache too.
    if (cluster.isWorker) process.on('message', (m: unknown) => isClearMessage(m) && this.clear(true));
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    // Monotonic time: a cache bound, never a rule, and tests move Cognate's
    // clock without meaning to age the cache.
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit !== undefined && now < hit.until) return hit.value as T;
    const generation = this.generation;
    const value = deepFreeze(await load());
    if (value !== null && value !== undefined && generation === this.generation && this.ttlMs > 0) {
      if (this.entries.size >= MAX_ENTRIES) this.evict(now);
      this.entries.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }

  /**
   * Called by every write to a cached table, before and after it, committed
   * or not: the next read goes to the database. Tells the other workers of
   * this host too, unless the word came from them.
   */
  clear(fromPeer = false): void {
    this.generation++;
    this.entries.clear();
    if (!fromPeer && cluster.isWorker) process.send?.({ [CLEAR_MESSAGE]: true });
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
  }
}

/** The IPC message a worker sends (and the primary relays to the others) when it wrote a cached table. */
export const CLEAR_MESSAGE = 'cognateReadCacheClear';
export const isClearMessage = (m: unknown): boolean => typeof m === 'object' && m !== null && (m as Record<string, unknown>)[CLEAR_MESSAGE] === true;

// Callers share one object per entry, so none may change it for the others.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A Store's view of the cache: outside a transaction reads go through it;
 * inside one they go to the database, and writes empty the cache both when
 * made and again after commit (a read on another connection in between may
 * have cached the old row).
 */
export class CacheScope {
  private dirty = false;

  constructor(
    readonly cache: ReadCache,
    private readonly inTransaction: boolean,
  ) {}

  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.inTransaction ? load() : this.cache.get(key, load);
  }

  /**
   * Runs a write to a cached table, emptying the cache before it and after
   * it: a read that began before the write must not keep the old row.
   */
  async writing<T>(write: () => Promise<T>): Promise<T> {
    this.written();
    try {
      return await write();
    } finally {
      this.written();
    }
  }

  private written(): void {
    this.dirty = true;
    this.cache.clear();
  }

  /** After the transaction committed: empties the cache again if it wrote a cached table. */
  committed(): void {
    if (this.dirty) this.cache.clear();
  }
}
