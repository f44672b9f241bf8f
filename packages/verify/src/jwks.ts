import { VerifyError } from './errors.js';
import { importJwks, type KeyEntry } from './keys.js';

export interface JwksOptions {
  /** Abort a JWKS request (connection, headers and body) after this long. Default 5000 ms. */
  timeoutMs?: number;
  /**
   * After a fetch, a token with an unknown `kid` causes no new fetch for this
   * long: a flood of random `kid`s costs the issuer at most one request per
   * cool-down. Default 30000 ms.
   */
  cooldownMs?: number;
  /**
   * Keys older than this are refetched in the background while they keep
   * being used, so a key the issuer withdraws stops verifying. `null`: only
   * an unknown `kid` causes a refetch. Default 1 hour.
   */
  maxAgeMs?: number | null;
  /** The largest JWKS response accepted. Default 256 KiB. */
  maxResponseBytes?: number;
  /** Allow `http://` for a host other than loopback. Default false: HTTPS is required. */
  allowInsecureHttp?: boolean;
  /** The fetch implementation. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** After a failed fetch, the next try waits this long (or the cool-down, if shorter). */
const FAILURE_RETRY_MS = 2000;

const isLoopback = (hostname: string): boolean => hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/** Parses a URL the verifier will fetch: HTTPS, or HTTP to loopback or with explicit opt-in. */
export function fetchableUrl(value: unknown, what: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new VerifyError('ERR_CONFIG', `${what} is not an absolute URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (allowInsecureHttp || isLoopback(url.hostname))) return url;
  throw new VerifyError('ERR_CONFIG', `${what} must use https (http is allowed for loopback hosts, or with jwks.allowInsecureHttp)`);
}

const positive = (value: number | undefined, fallback: number, what: string): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new VerifyError('ERR_CONFIG', `${what} must be a non-negative number`);
  return value;
};

/**
 * The keys of one JWKS URL. One fetch at a time (callers share the one in
 * flight); an unknown `kid` refetches at most once per cool-down; known keys
 * never wait on a fetch; a successful fetch replaces the whole key set, so
 * rotation adds new keys and drops withdrawn ones.
 */
export class JwksCache {
  readonly uri: string;
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly maxAgeMs: number | null;
  private readonly maxResponseBytes: number;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly now: () => number;

  private keys: Map<string, KeyEntry> | null = null;
  private loadedAt = 0;
  private lastAttemptAt = -Infinity;
  private lastError: VerifyError | null = null;
  private inflight: Promise<void> | null = null;
  private fetches = 0;

  constructor(uri: string, options: JwksOptions = {}) {
    this.uri = fetchableUrl(uri, 'The JWKS URI', options.allowInsecureHttp === true).href;
    this.timeoutMs = positive(options.timeoutMs, 5000, 'jwks.timeoutMs');
    this.cooldownMs = positive(options.cooldownMs, 30_000, 'jwks.cooldownMs');
    this.maxAgeMs = options.maxAgeMs === null ? null : positive(options.maxAgeMs, 3_600_000, 'jwks.maxAgeMs');
    this.maxResponseBytes = positive(options.maxResponseBytes, 256 * 1024, 'jwks.maxResponseBytes');
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  /** Whether keys have been loaded (by a fetch or `load`). */
  get hydrated(): boolean {
    return this.keys !== null;
  }

  /** How many fetches have been started: for tests and metrics. */
  get fetchCount(): number {
    return this.fetches;
  }

  /** The key for `kid` if known, without I/O. Starts a background refresh when the keys are stale. */
  peek(kid: string): KeyEntry | undefined {
    const keys = this.keys;
    if (keys === null) return undefined;
    if (this.maxAgeMs !== null && this.now() - this.loadedAt > this.maxAgeMs) this.refreshInBackground();
    return keys.get(kid);
  }

  /** The key for `kid` from the keys in memory; an unknown one starts a background refetch (cool-down permitting). */
  keySync(kid: string): KeyEntry {
    if (this.keys === null) throw new VerifyError('ERR_NOT_HYDRATED', 'No keys loaded yet: await hydrate() before verifySync()');
    const entry = this.peek(kid);
    if (entry) return entry;
    this.refreshInBackground();
    throw new VerifyError('ERR_KID_UNKNOWN', 'The token kid is not in the JWKS');
  }

  /** The key for `kid`, fetching the JWKS if the `kid` is unknown and the cool-down allows. */
  async key(kid: string): Promise<KeyEntry> {
    const known = this.peek(kid);
    if (known) return known;
    let fetchError: VerifyError | null = null;
    if (this.inflight || this.mayFetch()) {
      try {
        await this.refresh();
      } catch (err) {
        fetchError = err as VerifyError;
      }
    }
    const entry = this.keys?.get(kid);
    if (entry) return entry;
    if (fetchError) throw fetchError;
    if (this.keys === null) throw this.lastError ?? new VerifyError('ERR_JWKS_FETCH', 'The JWKS has not been fetched');
    throw new VerifyError('ERR_KID_UNKNOWN', 'The token kid is not in the JWKS');
  }

  /** Loads the keys now unless fresh ones are in memory; rejects if the fetch fails. */
  async hydrate(): Promise<void> {
    if (this.keys !== null && (this.maxAgeMs === null || this.now() - this.loadedAt <= this.maxAgeMs)) return;
    await this.refresh();
  }

  /** Uses this JWKS document instead of fetching (for offline use and tests). */
  load(jwks: unknown): void {
    this.keys = importJwks(jwks);
    this.loadedAt = this.now();
    this.lastError = null;
  }

  private mayFetch(): boolean {
    const wait = this.lastError ? Math.min(FAILURE_RETRY_MS, this.cooldownMs) : this.cooldownMs;
    return this.now() - this.lastAttemptAt >= wait;
  }

  private refreshInBackground(): void {
    if (this.inflight || !this.mayFetch()) return;
    // The outcome is recorded in lastError; nobody awaits this one.
    this.refresh().catch(() => undefined);
  }

  /** The one fetch in flight, or a new one. */
  private refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.lastAttemptAt = this.now();
    this.fetches++;
    const run = (async () => {
      try {
        const keys = await this.fetchKeys();
        this.keys = keys;
        this.loadedAt = this.now();
        this.lastError = null;
      } catch (err) {
        this.lastError = err instanceof VerifyError ? err : new VerifyError('ERR_JWKS_FETCH', `Fetching the JWKS failed`, { cause: err });
        throw this.lastError;
      } finally {
        this.inflight = null;
      }
    })();
    this.inflight = run;
    return run;
  }

  private async fetchKeys(): Promise<Map<string, KeyEntry>> {
    const failed = (why: string, cause?: unknown): VerifyError =>
      new VerifyError('ERR_JWKS_FETCH', `Fetching the JWKS from ${this.uri} failed: ${why}`, { cause });
    const signal = AbortSignal.timeout(this.timeoutMs);
    let body: Uint8Array;
    try {
      // No redirects: the keys come from the configured URL, not wherever it points.
      const res = await this.fetchFn(this.uri, { signal, redirect: 'error', headers: { accept: 'application/json' } });
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw failed(`HTTP ${res.status}`);
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > this.maxResponseBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw failed(`the response is larger than ${this.maxResponseBytes} bytes`);
      }
      body = await readLimited(res, this.maxResponseBytes, () => failed(`the response is larger than ${this.maxResponseBytes} bytes`));
    } catch (err) {
      if (err instanceof VerifyError) throw err;
      if (signal.aborted) throw failed(`no complete answer within ${this.timeoutMs} ms`, err);
      throw failed((err as Error)?.message ?? String(err), err);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch (err) {
      throw new VerifyError('ERR_JWKS_INVALID', `The JWKS at ${this.uri} is not UTF-8 JSON`, { cause: err });
    }
    return importJwks(doc);
  }
}

async function readLimited(res: Response, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

// Verifiers of the same JWKS URL with the same settings share one cache, so
// an app with an access-token and an ID-token verifier for one pool has one
// fetch in flight and one cool-down. A custom fetch or clock gets its own.
const shared = new Map<string, JwksCache>();

export function sharedJwksCache(uri: string, options: JwksOptions): JwksCache {
  if (options.fetch || options.now) return new JwksCache(uri, options);
  const key = JSON.stringify([uri, options.timeoutMs, options.cooldownMs, options.maxAgeMs, options.maxResponseBytes, options.allowInsecureHttp === true]);
  let cache = shared.get(key);
  if (!cache) {
    cache = new JwksCache(uri, options);
    shared.set(key, cache);
  }
  return cache;
}
