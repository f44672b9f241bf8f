import type { Kysely } from 'kysely';
import type { CacheScope } from './read-cache.ts';
import type { Tables } from './tables.ts';

/** Signing-key rotation (migration 016 adds `retired_at` and `published_until`); keys are read and inserted through PoolStore. */
export class SigningKeyStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly cache: CacheScope,
  ) {}

  /** Stops a key signing; it stays published in the JWKS until `publishedUntil`. */
  async retire(kid: string, now: number, publishedUntil: number): Promise<void> {
    await this.cache.writing(async () => {
      await this.db
        .updateTable('signing_keys')
        .set({ status: 'retired', retired_at: now, published_until: publishedUntil })
        .where('kid', '=', kid)
        .where('status', '=', 'active')
        .execute();
    });
  }

  /** Pools whose newest active signing key was made before `cutoff`: due for a scheduled rotation. */
  async poolsSignedBefore(cutoff: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .select('pool_id')
      .where('status', '=', 'active')
      .groupBy('pool_id')
      .having((eb) => eb.fn.max('created_at'), '<', cutoff)
      .orderBy('pool_id')
      .execute();
    return rows.map((r) => r.pool_id);
  }
}
