import type { Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/** Cognito's largest PasswordHistorySize: no user keeps more old hashes than this. */
export const MAX_PASSWORD_HISTORY = 24;

/**
 * Hashes of the passwords each user held before their current one
 * (PasswordHistorySize). Only argon2id hashes are kept, as in users.
 */
export class PasswordHistoryStore {
  constructor(protected readonly db: Kysely<Tables>) {}

  /** The hashes of the user's `count` most recent former passwords, newest first. */
  async recent(sub: string, count: number): Promise<string[]> {
    if (count <= 0) return [];
    const rows = await this.db
      .selectFrom('password_history')
      .select('password_hash')
      .where('sub', '=', sub)
      .orderBy('seq', 'desc')
      .limit(Math.min(count, MAX_PASSWORD_HISTORY))
      .execute();
    return rows.map((r) => r.password_hash);
  }

  /**
   * Files the user's current password hash (read here, so it is the one
   * being replaced even under concurrent changes) as their newest former
   * password, and forgets any beyond the newest MAX_PASSWORD_HISTORY. Call it
   * in the transaction that sets the new password, before setting it.
   */
  async retireCurrent(sub: string, now: number): Promise<void> {
    const user = await this.db.selectFrom('users').select(['pool_id', 'password_hash']).where('sub', '=', sub).executeTakeFirst();
    if (!user?.password_hash) return;
    const last = await this.db
      .selectFrom('password_history')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('sub', '=', sub)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    await this.db.insertInto('password_history').values({ sub, seq, pool_id: user.pool_id, password_hash: user.password_hash, replaced_at: now }).execute();
    await this.db
      .deleteFrom('password_history')
      .where('sub', '=', sub)
      .where('seq', '<=', seq - MAX_PASSWORD_HISTORY)
      .execute();
  }
}
