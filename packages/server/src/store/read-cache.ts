// Pools, app clients (with their secrets) and signing keys are read on every
// request and written almost never, yet they were about half of the queries
// of a refresh or a GetUser. A node keeps what it read for at most
// READ_CACHE_TTL_MS, so a change made on another node (or by the `cognate`
// CLI) applies everywhere within that bound (docs/deployment.md); a change
// made through this node empties the cache at once. Reads inside a
// transaction never use it: read-modify-write sees the database.

/** How long a node may serve a pool, client or signing key it has read. */
export const READ_CACHE_TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

export class ReadCache {
  private readonly entries = new Map<string, { value: unknown; until: number }>();
  // A load that started before a write must not put its (older) answer in
  // the cache after the write emptied it.
  private generation = 0;

  constructor(private readonly ttlMs = READ_CACHE_TTL_MS) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    // Monotonic time: a cache bound, never a rule, and tests move Cognate's
    // clock without meaning to age the cache.
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit !== undefined && now < hit.until) return hit.value as T;
    const generation = this.generation;
    const value = deepFreeze(await load());
    if (generation === this.generation && this.ttlMs > 0) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }

  /** Called by every write to a cached table, committed or not: the next read goes to the database. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

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

  written(): void {
    this.dirty = true;
    this.cache.clear();
  }

  /** After the transaction committed: empties the cache again if it wrote a cached table. */
  committed(): void {
    if (this.dirty) this.cache.clear();
  }
}
