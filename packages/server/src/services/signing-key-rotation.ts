import type { FastifyBaseLogger } from 'fastify';
import { startPeriodicJob } from '../jobs/periodic.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import { newSigningKey, type TokenUse } from '../crypto/signing-keys.ts';
import { validitySeconds } from '../domain/client-settings.ts';
import type { Store } from '../store/store.ts';
import type { SigningKeyRow } from '../store/tables.ts';
import type { Clock } from './clock.ts';
import { READ_CACHE_TTL_MS } from '../store/read-cache.ts';

// Signing-key rotation. A rotation makes a new ID key and a new access key
// for the pool; they sign from then on (TokenService signs with the newest
// active key). The keys they replace are retired: they sign nothing more but
// stay in the pool's JWKS until every token they signed has expired, that is
// for the longest access (or ID) token validity of the pool's app clients at
// the time of the rotation, and then leave it (http/well-known.ts). Tokens
// they signed verify to the end, at Cognate and at any verifier, which picks
// the new key up through its unknown-`kid` refetch. Cognito documents the
// same contract ("Amazon Cognito might rotate signing keys in your user pool
// ... cache public keys in your app, using the kid as a cache key": developer
// guide, "Verifying JSON web tokens"), without a way to trigger it.

const DAY_MS = 86_400_000;
const USES: readonly TokenUse[] = ['id', 'access'];

export interface RotationResult {
  rotated: boolean;
  /** kid of the new keys, by use. */
  kids: Partial<Record<TokenUse, string>>;
  /** Retired kids, with when each leaves the JWKS. */
  retired: { kid: string; publishedUntil: number }[];
}

/** The longest lifetime, in seconds, of an access or ID token any client of the pool issues now. */
async function longestValidity(store: Store, poolId: string, use: TokenUse): Promise<number> {
  let longest = 0;
  let after: string | null = null;
  for (;;) {
    const page = await store.pools.listClients(poolId, 60, after);
    for (const c of page) longest = Math.max(longest, validitySeconds(c.settings, use === 'access' ? 'AccessToken' : 'IdToken'));
    if (page.length < 60) return longest;
    after = page[page.length - 1]!.clientId;
  }
}

/**
 * Rotates the pool's signing keys. With `ifOlderThanMs` (the schedule), only
 * when the newest active key is at least that old, decided inside the
 * transaction so two nodes running the schedule at once rotate once.
 */
export async function rotateSigningKeys(
  deps: { store: Store; master: MasterKey; clock: Clock },
  poolId: string,
  opts: { ifOlderThanMs?: number } = {},
): Promise<RotationResult> {
  // RSA key generation is slow: before the transaction, which holds SQLite's single connection.
  const now = deps.clock.now();
  const fresh = await Promise.all(USES.map((use) => newSigningKey(deps.master, poolId, use, now)));
  return deps.store.transaction(async (tx) => {
    const keys = await tx.pools.signingKeys(poolId);
    const active = keys.filter((k) => k.status === 'active');
    const newest = Math.max(...active.map((k) => Number(k.created_at)));
    if (opts.ifOlderThanMs !== undefined && active.length > 0 && newest > now - opts.ifOlderThanMs) return { rotated: false, kids: {}, retired: [] };
    const retired: RotationResult['retired'] = [];
    for (const key of active) {
      // Other nodes may sign with the retired key for up to READ_CACHE_TTL_MS
      // more (their cached key list), so it stays published that much longer.
      const publishedUntil = now + (await longestValidity(tx, poolId, key.token_use)) * 1000 + READ_CACHE_TTL_MS;
      await tx.signingKeys.retire(key.kid, now, publishedUntil);
      retired.push({ kid: key.kid, publishedUntil });
    }
    for (const row of fresh) await tx.pools.insertSigningKey(row);
    return { rotated: true, kids: Object.fromEntries(fresh.map((k) => [k.token_use, k.kid])), retired };
  });
}

/** Whether a key belongs in the pool's JWKS at `now`: active, or retired with tokens it signed still unexpired. */
export const isPublished = (key: SigningKeyRow, now: number): boolean =>
  key.status === 'active' || (key.published_until !== null && Number(key.published_until) > now);

/** The scheduled rotation: every pool whose signing keys are `days` old or more. Returns the pools rotated. */
export async function rotateDueSigningKeys(deps: { store: Store; master: MasterKey; clock: Clock }, days: number): Promise<string[]> {
  const ageMs = days * DAY_MS;
  const rotated: string[] = [];
  for (const poolId of await deps.store.signingKeys.poolsSignedBefore(deps.clock.now() - ageMs + 1)) {
    if ((await rotateSigningKeys(deps, poolId, { ifOlderThanMs: ageMs })).rotated) rotated.push(poolId);
  }
  return rotated;
}

/**
 * The schedule (`--signing-key-rotation-days`, 0 = off): checks every
 * `intervalMs`, as the lifecycle purge does. Runs never overlap; a failed
 * run is logged and the next one tries again. The timer does not keep the
 * process alive.
 */
export function startSigningKeyRotation(
  deps: { store: Store; master: MasterKey; clock: Clock; log: FastifyBaseLogger },
  days: number,
  intervalMs: number,
): { stop(): Promise<void> } {
  if (days <= 0) return { stop: async () => undefined };
  return startPeriodicJob({
    intervalMs,
    log: deps.log,
    run: () => rotateDueSigningKeys(deps, days),
    done: (pools) => {
      if (pools.length) deps.log.info({ pools }, 'rotated signing keys on schedule');
    },
    failed: 'scheduled signing-key rotation failed',
  });
}
