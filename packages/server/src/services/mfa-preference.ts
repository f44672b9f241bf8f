import type { Context } from '../context.ts';
import type { User } from '../domain/user.ts';
import { parseMfaOptions } from '../domain/mfa-options.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { MfaRowPatch } from '../store/mfa.ts';
import { FACTORS, isEnabled, userCanUse, type MfaFactor } from './mfa.ts';

interface Setting {
  Enabled?: boolean | undefined;
  PreferredMfa?: boolean | undefined;
}

export interface MfaPreferenceInput {
  SMSMfaSettings?: Setting | undefined;
  SoftwareTokenMfaSettings?: Setting | undefined;
  EmailMfaSettings?: Setting | undefined;
}

const settingOf = (input: MfaPreferenceInput, f: MfaFactor): Setting | undefined =>
  f === 'SMS_MFA' ? input.SMSMfaSettings : f === 'EMAIL_OTP' ? input.EmailMfaSettings : input.SoftwareTokenMfaSettings;

const column = { SMS_MFA: 'sms_enabled', EMAIL_OTP: 'email_enabled', SOFTWARE_TOKEN_MFA: 'totp_enabled' } as const;

/**
 * SetUserMFAPreference and AdminSetUserMFAPreference. A factor left out keeps
 * its setting. Turning a factor on needs the means to use it: a verified
 * phone number for SMS (Cognate sends SMS only to verified numbers), a
 * verified email for email codes, a verified authenticator for TOTP; else
 * Cognito's "User does not have delivery config set to turn on <factor>".
 * At most one factor is preferred, and only an enabled one; turning the
 * preferred factor off clears the preference.
 */
export async function setMfaPreference(ctx: Context, user: User, input: MfaPreferenceInput): Promise<void> {
  const row = await ctx.store.mfa.get(user.sub);
  const enabled = new Map(FACTORS.map((f) => [f, isEnabled(row, f)]));
  let preferred = (row?.preferred ?? null) as MfaFactor | null;
  const wantPreferred = FACTORS.filter((f) => settingOf(input, f)?.PreferredMfa === true);
  if (wantPreferred.length > 1) throw Errors.InvalidParameter('Only one MFA method can be set as preferred.');
  for (const f of FACTORS) {
    const s = settingOf(input, f);
    if (!s) continue;
    if (s.Enabled === true && !userCanUse(user, row, f)) throw Errors.InvalidParameter(`User does not have delivery config set to turn on ${f}`);
    if (s.Enabled !== undefined) enabled.set(f, s.Enabled);
    if (s.PreferredMfa === false && preferred === f) preferred = null;
  }
  const want = wantPreferred[0];
  if (want) {
    if (!enabled.get(want)) throw Errors.InvalidParameter(`Cannot set ${want} as the preferred MFA method while it is disabled.`);
    preferred = want;
  }
  if (preferred && !enabled.get(preferred)) preferred = null;
  const patch: MfaRowPatch = { preferred };
  for (const f of FACTORS) patch[column[f]] = enabled.get(f) ? 1 : 0;
  await ctx.store.mfa.upsert(user.sub, user.poolId, patch, ctx.clock.now());
}

/** Admin/SetUserSettings: replaces the user's legacy SMS-only MFAOptions (an empty list clears them). */
export async function saveLegacyMfaOptions(ctx: Context, user: User, input: Parameters<typeof parseMfaOptions>[0]): Promise<void> {
  const options = parseMfaOptions(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.mfa.setLegacyOptions(user.sub, options);
    await tx.users.update(user.sub, {}, now);
  });
}
