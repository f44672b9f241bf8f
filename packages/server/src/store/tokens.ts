import type { Kysely } from 'kysely';
import type { AuthChallengeRow, CodeRow, SessionRow, Tables } from './tables.ts';
import { firstRow, prepared } from './prepared.ts';

// Read on every access-token call and every refresh (prepared.ts).
const sessionByJti = prepared((db, originJti: string) => db.selectFrom('sessions').selectAll().where('origin_jti', '=', originJti));
const sessionByRefreshHash = prepared((db, hash: string) => db.selectFrom('sessions').selectAll().where('refresh_hash', '=', hash));

/** Where a page of a user's sessions ends (ListUserSessions). */
export interface SessionPageCursor {
  createdAt: number;
  jti: string;
}

/** One-time codes, token families (sessions), challenge sessions and attempt counters. */
export class TokenStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /**
   * Stores a code stamped later than every earlier code of the same user and
   * purpose, so `latestCode` finds the newest one even when two are sent in
   * one millisecond (or under a clock standing still): ORDER BY breaks such
   * ties by insertion order on SQLite only by accident, and not at all on
   * PostgreSQL.
   */
  async insertCode(row: CodeRow): Promise<void> {
    const last = await this.db
      .selectFrom('codes')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('sub', '=', row.sub)
      .where('purpose', '=', row.purpose)
      .executeTakeFirst();
    const lastAt = last?.at === null || last?.at === undefined ? null : Number(last.at);
    await this.db
      .insertInto('codes')
      .values({ ...row, created_at: lastAt !== null && lastAt >= row.created_at ? lastAt + 1 : row.created_at })
      .execute();
  }

  /** The newest unconsumed code for this purpose; older ones stop working when a new one is sent. */
  async latestCode(sub: string, purpose: string): Promise<CodeRow | null> {
    const row = await this.db
      .selectFrom('codes')
      .selectAll()
      .where('sub', '=', sub)
      .where('purpose', '=', purpose)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Whether `hash` is one of the user's codes for this purpose, current or not (to tell a superseded code from a wrong one). */
  async hasCode(sub: string, purpose: string, hash: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('codes')
      .select('id')
      .where('sub', '=', sub)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', hash)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Consumes a code at most once: a concurrent second use updates no row. */
  async consumeCode(id: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('codes').set({ consumed_at: now }).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Reserves one guess on a code before it is compared: false once `max`
   * guesses are spent (or the code is used), so parallel guesses cannot
   * exceed the cap.
   */
  async reserveCodeAttempt(id: string, max: number): Promise<boolean> {
    const r = await this.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('attempts', '<', max)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Gives a reserved guess back when it was right, so a correct code never counts as a wrong guess. */
  async releaseCodeAttempt(id: string): Promise<void> {
    await this.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async insertSession(row: SessionRow): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async session(originJti: string): Promise<SessionRow | null> {
    return (await firstRow(this.db, sessionByJti(this.db, originJti))) ?? null;
  }

  async sessionByRefreshHash(hash: string): Promise<SessionRow | null> {
    return (await firstRow(this.db, sessionByRefreshHash(this.db, hash))) ?? null;
  }

  /**
   * The user's live token families (not revoked, not expired), newest first
   * (ties by origin_jti): what ListUserSessions and AdminListUserSessions
   * show, `limit` at a time from after the `after` cursor.
   */
  async liveUserSessions(sub: string, now: number, limit?: number, after?: SessionPageCursor | null): Promise<SessionRow[]> {
    let q = this.db.selectFrom('sessions').selectAll().where('sub', '=', sub).where('revoked_at', 'is', null).where('expires_at', '>', now);
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('origin_jti', '>', after.jti)])]));
    }
    q = q.orderBy('created_at', 'desc').orderBy('origin_jti');
    return await (limit === undefined ? q : q.limit(limit)).execute();
  }

  /**
   * Revokes the user's live token families beyond the newest `keep`: the cap
   * on token sessions (SetUserPoolSessionConfiguration MaxPerUser).
   */
  async revokeSessionsBeyond(sub: string, keep: number, now: number): Promise<void> {
    const live = await this.liveUserSessions(sub, now);
    for (const row of live.slice(keep)) await this.revokeSession(row.origin_jti, now);
  }

  async revokeSession(originJti: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: now }).where('origin_jti', '=', originJti).where('revoked_at', 'is', null).execute();
  }

  /**
   * Every token family of the user, and every managed-login session (the
   * browser cookie that would otherwise mint new codes for up to an hour):
   * global sign-out, disabling, archiving.
   */
  async revokeUserSessions(sub: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: now }).where('sub', '=', sub).where('revoked_at', 'is', null).execute();
    await this.db.deleteFrom('hosted_sessions').where('sub', '=', sub).execute();
  }

  async insertChallenge(row: AuthChallengeRow): Promise<void> {
    await this.db.insertInto('auth_challenges').values(row).execute();
  }

  /** Takes a challenge session for answering: single use, so a replayed Session finds nothing. */
  /** An open (unconsumed) challenge session, without taking it. */
  async openChallenge(id: string): Promise<AuthChallengeRow | null> {
    const row = await this.db.selectFrom('auth_challenges').selectAll().where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
    return row ?? null;
  }

  async consumeChallenge(id: string, now: number): Promise<AuthChallengeRow | null> {
    const row = await this.db.selectFrom('auth_challenges').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.consumed_at !== null) return null;
    const r = await this.db.updateTable('auth_challenges').set({ consumed_at: now }).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? row : null;
  }

  /**
   * Counts one event in a fixed window and returns the count including it.
   * Used for Cognito's per-user hourly caps (codes, resends, password
   * changes). One statement, so concurrent hits each see their own count.
   */
  async hit(key: string, windowMs: number, now: number): Promise<number> {
    const row = await this.db
      .insertInto('counters')
      .values({ key, window_start: now, count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          window_start: eb
            .case()
            .when('counters.window_start', '<=', now - windowMs)
            .then(now)
            .else(eb.ref('counters.window_start'))
            .end(),
          count: eb
            .case()
            .when('counters.window_start', '<=', now - windowMs)
            .then(1)
            .else(eb('counters.count', '+', 1))
            .end(),
        })),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async peek(key: string, windowMs: number, now: number): Promise<number> {
    const row = await this.db.selectFrom('counters').selectAll().where('key', '=', key).executeTakeFirst();
    return !row || Number(row.window_start) + windowMs <= now ? 0 : Number(row.count);
  }
}
