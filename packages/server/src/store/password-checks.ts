import type { Kysely } from 'kysely';
import type { PasswordChecks } from '../domain/password-policy.ts';
import type { Tables } from './tables.ts';

/** Each pool's choice of Cognate's password rules beyond Cognito's (migration 019). */
export class PasswordCheckStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** The pool's switches, or null when none were ever written (Cognito's rules only apply). */
  async checks(poolId: string): Promise<PasswordChecks | null> {
    const row = await this.db
      .selectFrom('pool_password_checks')
      .select(['reject_context_words', 'reject_common_passwords'])
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return row ? { rejectContextWords: Number(row.reject_context_words) === 1, rejectCommonPasswords: Number(row.reject_common_passwords) === 1 } : null;
  }

  async setChecks(poolId: string, checks: PasswordChecks, now: number): Promise<void> {
    const values = { reject_context_words: checks.rejectContextWords ? 1 : 0, reject_common_passwords: checks.rejectCommonPasswords ? 1 : 0, updated_at: now };
    await this.db
      .insertInto('pool_password_checks')
      .values({ pool_id: poolId, ...values })
      .onConflict((oc) => oc.column('pool_id').doUpdateSet(values))
      .execute();
  }
}
