import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Tables, UnknownNameFailureRow } from './tables.ts';

/** services/sign-in.ts's hard stop (100 consecutive failures), for callers that do not pass it. */
const DEFAULT_HARD_STOP = 100;

/** How many quiet names one counted failure prunes: more than one, so pruning outpaces new names. */
export const PRUNE_PER_CALL = 10;

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

  /**
   * One statement, so parallel failures all count; the recent count restarts
   * after `forgetAfterMs` without failures. Each call also prunes a few names
   * (at most PRUNE_PER_CALL) quiet for longer than `forgetAfterMs` and short
   * of `hardStop`, so made-up names cannot grow the table without bound; a
   * name at the hard stop is kept, as a real account's reset requirement is.
   */
  async countFailure(nameKey: string, now: number, forgetAfterMs: number, hardStop = DEFAULT_HARD_STOP): Promise<{ recent: number; consecutive: number }> {
    await this.pruneQuiet(now - forgetAfterMs, hardStop);
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

  /** Deletes up to PRUNE_PER_CALL rows last failed before `before` and below the hard stop (portable: no DELETE ... LIMIT). */
  private async pruneQuiet(before: number, hardStop: number): Promise<void> {
    await this.db
      .deleteFrom('unknown_name_failures')
      .where('name_key', 'in', (eb) =>
        eb
          .selectFrom('unknown_name_failures as q')
          .select('q.name_key')
          .where('q.last_failed_at', '<', before)
          .where('q.consecutive_failures', '<', hardStop)
          .limit(PRUNE_PER_CALL),
      )
      .execute();
  }
}
