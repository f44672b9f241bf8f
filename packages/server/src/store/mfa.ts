import type { Kysely } from 'kysely';
import type { Tables, UserMfaRow } from './tables.ts';
import { firstRow, prepared } from './prepared.ts';

// Read by every sign-in (prepared.ts).
const mfaOf = prepared((db, sub: string) => db.selectFrom('user_mfa').selectAll().where('sub', '=', sub));
// Read by every GetUser and AdminGetUser: both MFA tables in one statement
// (either may lack the user's row, so the user's own row anchors the joins).
const summaryOf = prepared((db, sub: string) =>
  db
    .selectFrom('users as u')
    .leftJoin('user_mfa as m', 'm.sub', 'u.sub')
    .leftJoin('user_mfa_options as o', 'o.sub', 'u.sub')
    .select(['m.sms_enabled', 'm.email_enabled', 'm.totp_enabled', 'm.preferred', 'o.mfa_options'])
    .where('u.sub', '=', sub),
);

export type LegacyMfaOption = { DeliveryMedium: string; AttributeName: string };
/** What GetUser and AdminGetUser show of a user's MFA: the factor flags (null without a row) and the legacy MFAOptions. */
export interface MfaSummary {
  factors: Pick<UserMfaRow, 'sms_enabled' | 'email_enabled' | 'totp_enabled' | 'preferred'> | null;
  legacy: LegacyMfaOption[];
}

/** The columns summaryOf reads (user_mfa's flags and user_mfa_options' list; null where the user has no row), as GetUser shows them. */
export interface MfaSummaryColumns {
  sms_enabled: number | null;
  email_enabled: number | null;
  totp_enabled: number | null;
  preferred: string | null;
  mfa_options: string | null;
}

export function mfaSummaryOf(row: MfaSummaryColumns | undefined): MfaSummary {
  // Every user_mfa row has its flags (NOT NULL), so a null flag means no row.
  const factors =
    row && row.sms_enabled !== null
      ? { sms_enabled: row.sms_enabled, email_enabled: row.email_enabled!, totp_enabled: row.totp_enabled!, preferred: row.preferred }
      : null;
  return { factors, legacy: row?.mfa_options ? (JSON.parse(row.mfa_options) as LegacyMfaOption[]) : [] };
}

export type MfaRowPatch = Partial<Omit<UserMfaRow, 'sub' | 'pool_id' | 'updated_at'>>;

/** Each user's MFA preferences and TOTP authenticator (one row per user, made on first use). */
export class MfaStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async summary(sub: string): Promise<MfaSummary> {
    return mfaSummaryOf(await firstRow(this.db, summaryOf(this.db, sub)));
  }

  /** Replaces the MFAOptions list; an empty list removes it. */
  async setLegacyOptions(sub: string, options: LegacyMfaOption[]): Promise<void> {
    await this.db.deleteFrom('user_mfa_options').where('sub', '=', sub).execute();
    if (options.length)
      await this.db
        .insertInto('user_mfa_options')
        .values({ sub, mfa_options: JSON.stringify(options) })
        .execute();
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
