import type { Kysely } from 'kysely';
import type { Tables, UserMfaRow } from './tables.ts';
import { firstRow, prepared } from './prepared.ts';

// Read by every GetUser, AdminGetUser and sign-in (prepared.ts).
const legacyOptionsOf = prepared((db, sub: string) => db.selectFrom('user_mfa_options').select('mfa_options').where('sub', '=', sub));
const mfaOf = prepared((db, sub: string) => db.selectFrom('user_mfa').selectAll().where('sub', '=', sub));

export type MfaRowPatch = Partial<Omit<UserMfaRow, 'sub' | 'pool_id' | 'updated_at'>>;

/** Each user's MFA preferences and TOTP authenticator (one row per user, made on first use). */
export class MfaStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** The legacy MFAOptions list, or [] when none was set. */
  async legacyOptions(sub: string): Promise<{ DeliveryMedium: string; AttributeName: string }[]> {
    const row = await firstRow(this.db, legacyOptionsOf(this.db, sub));
    return row ? (JSON.parse(row.mfa_options) as { DeliveryMedium: string; AttributeName: string }[]) : [];
  }

  /** Replaces the MFAOptions list; an empty list removes it. */
  async setLegacyOptions(sub: string, options: { DeliveryMedium: string; AttributeName: string }[]): Promise<void> {
    await this.db.deleteFrom('user_mfa_options').where('sub', '=', sub).execute();
    if (options.length) await this.db.insertInto('user_mfa_options').values({ sub, mfa_options: JSON.stringify(options) }).execute();
  }

  async get(sub: string): Promise<UserMfaRow | null> {
    return (await firstRow(this.db, mfaOf(this.db, sub))) ?? null;
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
