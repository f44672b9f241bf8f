import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Tables, UnknownNameFailureRow } from './tables.ts';

/**
 * Failed sign-ins under names that match no user (migration 006), counted the
 * way UserStore.countFailure counts a real user's, so the simulated lockout
 * of an unknown name follows the same schedule.
 */
export class UnknownNameStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async failures(nameKey: string): Promise<UnknownNameFailureRow | null> {
    return (await this.db.selectFrom('unknown_name_failures').selectAll().where('name_key', '=', nameKey).executeTakeFirst()) ?? null;
  }

  /** One statement, so parallel failures all count; the recent count restarts after `forgetAfterMs` without failures. */
  async countFailure(nameKey: string, now: number, forgetAfterMs: number): Promise<{ recent: number; consecutive: number }> {
    const row = await this.db
      .insertInto('unknown_name_failures')
      .values({ name_key: nameKey, failed_attempts: 1, consecutive_failures: 1, last_failed_at: now })
      .onConflict((oc) =>
        oc.column('name_key').doUpdateSet({
          failed_attempts: sql<number>`case when unknown_name_failures.last_failed_at < ${now - forgetAfterMs} then 1 else unknown_name_failures.failed_attempts + 1 end`,
          consecutive_failures: sql<number>`unknown_name_failures.consecutive_failures + 1`,
          last_failed_at: now,
        }),
      )
      .returning(['failed_attempts', 'consecutive_failures'])
      .executeTakeFirstOrThrow();
    return { recent: Number(row.failed_attempts), consecutive: Number(row.consecutive_failures) };
  }
}
