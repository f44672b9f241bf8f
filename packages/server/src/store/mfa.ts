import type { Kysely } from 'kysely';
import type { Tables, UserMfaRow } from './tables.ts';

export type MfaRowPatch = Partial<Omit<UserMfaRow, 'sub' | 'pool_id' | 'updated_at'>>;

/** Each user's MFA preferences and TOTP authenticator (one row per user, made on first use). */
export class MfaStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async get(sub: string): Promise<UserMfaRow | null> {
    return (await this.db.selectFrom('user_mfa').selectAll().where('sub', '=', sub).executeTakeFirst()) ?? null;
  }

  /** Writes `patch` to the user's row, creating it (all factors off) when missing. */
  async upsert(sub: string, poolId: string, patch: MfaRowPatch, now: number): Promise<void> {
    const fresh: UserMfaRow = {
      sub,
      pool_id: poolId,
      totp_secret_sealed: null,
      totp_pending_sealed: null,
      totp_friendly_name: null,
      totp_last_step: null,
      sms_enabled: 0,
      email_enabled: 0,
      totp_enabled: 0,
      preferred: null,
      updated_at: now,
      ...patch,
    };
    await this.db
      .insertInto('user_mfa')
      .values(fresh)
      .onConflict((oc) => oc.column('sub').doUpdateSet({ ...patch, updated_at: now }))
      .execute();
  }

  /**
   * Records `step` as the last accepted TOTP step, only if it is later than
   * the one stored: one statement, so of two uses of the same code (even
   * concurrent ones) only the first succeeds.
   */
  async acceptTotpStep(sub: string, step: number): Promise<boolean> {
    const r = await this.db
      .updateTable('user_mfa')
      .set({ totp_last_step: step })
      .where('sub', '=', sub)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
