import { sql, type Kysely } from 'kysely';
import type { UserStatus } from '../domain/user.ts';
import type { Tables, UserLifecycleRow } from './tables.ts';

const DAY_MS = 86_400_000;

/** What the ARCHIVED and COMPROMISED statuses need beyond users.status (migration 007). */
export class LifecycleStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async record(sub: string): Promise<UserLifecycleRow | null> {
    return (await this.db.selectFrom('user_lifecycle').selectAll().where('sub', '=', sub).executeTakeFirst()) ?? null;
  }

  async setArchived(poolId: string, sub: string, statusBefore: UserStatus, now: number): Promise<void> {
    await this.db
      .insertInto('user_lifecycle')
      .values({ sub, pool_id: poolId, archived_at: now, status_before_archive: statusBefore, compromised_at: null, compromised_by: null })
      .onConflict((oc) => oc.column('sub').doUpdateSet({ archived_at: now, status_before_archive: statusBefore }))
      .execute();
  }

  async clearArchived(sub: string): Promise<void> {
    await this.db.updateTable('user_lifecycle').set({ archived_at: null, status_before_archive: null }).where('sub', '=', sub).execute();
  }

  async setCompromised(poolId: string, sub: string, by: string, now: number): Promise<void> {
    await this.db
      .insertInto('user_lifecycle')
      .values({ sub, pool_id: poolId, archived_at: null, status_before_archive: null, compromised_at: now, compromised_by: by })
      .onConflict((oc) => oc.column('sub').doUpdateSet({ compromised_at: now, compromised_by: by }))
      .execute();
  }

  /** The pool's ArchiveRetentionDays, or null when never set (the default applies). */
  async retentionDays(poolId: string): Promise<number | null> {
    const row = await this.db.selectFrom('pool_lifecycle').select('archive_retention_days').where('pool_id', '=', poolId).executeTakeFirst();
    return row ? Number(row.archive_retention_days) : null;
  }

  async setRetentionDays(poolId: string, days: number, now: number): Promise<void> {
    await this.db
      .insertInto('pool_lifecycle')
      .values({ pool_id: poolId, archive_retention_days: days, updated_at: now })
      .onConflict((oc) => oc.column('pool_id').doUpdateSet({ archive_retention_days: days, updated_at: now }))
      .execute();
  }

  /**
   * Users archived longer than their pool's retention (or `defaultDays` where
   * the pool set none), oldest first, at most `limit`. Only users still
   * ARCHIVED: a restored user keeps no archive time anyway.
   */
  async expiredArchives(now: number, defaultDays: number, limit: number): Promise<{ sub: string; poolId: string }[]> {
    const rows = await this.db
      .selectFrom('user_lifecycle as l')
      .innerJoin('users as u', 'u.sub', 'l.sub')
      .leftJoin('pool_lifecycle as p', 'p.pool_id', 'u.pool_id')
      .select(['l.sub', 'u.pool_id'])
      .where('u.status', '=', 'ARCHIVED')
      .where('l.archived_at', 'is not', null)
      // bigint arithmetic: days × ms-per-day overflows a PostgreSQL integer.
      .where(sql<boolean>`l.archived_at + cast(coalesce(p.archive_retention_days, ${defaultDays}) as bigint) * ${DAY_MS} <= ${now}`)
      .orderBy('l.archived_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ sub: r.sub, poolId: r.pool_id }));
  }
}
