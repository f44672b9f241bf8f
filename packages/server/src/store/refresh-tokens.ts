import type { Kysely } from 'kysely';
import type { RefreshTokenRow, Tables } from './tables.ts';
import { firstRow, prepared } from './prepared.ts';

// Read on every refresh (prepared.ts).
const refreshTokenByHash = prepared((db, hash: string) => db.selectFrom('refresh_tokens').selectAll().where('hash', '=', hash));

/**
 * The refresh tokens of rotated families (migration 006). Rotation is a
 * single conditional UPDATE (`superseded_at IS NULL`), so of two requests
 * presenting the same token at once exactly one rotates it; the other finds
 * it superseded and follows the grace rules.
 */
export class RefreshTokenStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async byHash(hash: string): Promise<RefreshTokenRow | null> {
    return (await firstRow(this.db, refreshTokenByHash(this.db, hash))) ?? null;
  }

  /** Records a family's first token when the family first rotates; a no-op when it is already recorded. */
  async ensure(row: RefreshTokenRow): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values(row)
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  }

  async insert(row: RefreshTokenRow): Promise<void> {
    await this.db.insertInto('refresh_tokens').values(row).execute();
  }

  /** Marks a live token replaced by `successorSealed`; false when it was already replaced. */
  async supersede(hash: string, now: number, successorSealed: string | null): Promise<boolean> {
    const r = await this.db
      .updateTable('refresh_tokens')
      .set({ superseded_at: now, successor_sealed: successorSealed })
      .where('hash', '=', hash)
      .where('superseded_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
