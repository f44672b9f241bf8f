import type { Context } from '../context.ts';
import type { AppClient } from '../domain/client-settings.ts';
import { emailDelivery, smsDelivery } from '../domain/masking.ts';
import { mfaConfigOf, type Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import type { MfaSummary } from '../store/mfa.ts';
import type { UserMfaRow } from '../store/tables.ts';
import { safeEqual } from '../crypto/master-key.ts';
import { openChallenge } from './challenges.ts';
import { planMessage } from '../triggers/custom-message.ts';
import { queueCustomSender } from '../triggers/custom-sender.ts';
import { renderTemplate } from './mailer.ts';
import { queueMessage } from './messages.ts';
import type { AuthStep, SignInSignals } from './auth-step.ts';
import { queueSms } from './sms.ts';
import { openTotpSecret, totpStep } from './totp.ts';

export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
/** Cognito's order in UserMFASettingList and MFAS_CAN_CHOOSE. */
export const FACTORS: readonly MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

const DEFAULT_SMS_MFA_MESSAGE = 'Your authentication code is {####}. ';
const DEFAULT_EMAIL_MFA_MESSAGE = 'Your authentication code is {####}.';
const DEFAULT_EMAIL_MFA_SUBJECT = 'Your authentication code';

/** What an MFA challenge session carries: the sign-in's signals, and for SMS/EMAIL the keyed hash of the code sent. */
export interface MfaState {
  signals: SignInSignals;
  /** SELECT_MFA_TYPE: the factors offered. */
  choices?: MfaFactor[];
  /** SMS_MFA / EMAIL_OTP: a nonce and the MAC of the code under it (the code is never stored). */
  nonce?: string;
  codeMac?: string;
  /** MFA_SETUP: how far the software-token setup through this Session got. */
  stage?: 'start' | 'associated' | 'verified';
  /** EMAIL_OTP after MFA_SETUP with EMAIL: the address being set up, written (verified) only once its code is confirmed. */
  setupEmail?: string;
}

export function parseState(raw: string): MfaState {
  const s = JSON.parse(raw) as Partial<MfaState>;
  return { ...s, signals: s.signals ?? {} } as MfaState;
}

const codeMac = (ctx: Context, sub: string, nonce: string, code: string): string => ctx.master.mac('mfa-code', `${sub}|${nonce}|${code}`);

/** Whether an SMS/EMAIL code answers the session it was sent for. */
export function codeMatches(ctx: Context, sub: string, state: MfaState, code: string): boolean {
  if (!state.nonce || !state.codeMac || !/^\d{6}$/.test(code)) return false;
  return safeEqual(codeMac(ctx, sub, state.nonce, code), state.codeMac);
}

/**
 * Checks a TOTP code against the user's verified authenticator and, when
 * right, records its step so the same code (or an older one) is refused
 * from then on.
 */
export async function acceptTotp(ctx: Context, user: User, code: string): Promise<boolean> {
  const row = await ctx.store.mfa.get(user.sub);
  if (!row?.totp_secret_sealed) return false;
  const step = totpStep(openTotpSecret(ctx.master, user.sub, row.totp_secret_sealed), code, ctx.clock.now());
  return step !== null && (await ctx.store.mfa.acceptTotpStep(user.sub, step));
}

const verified = (user: User, attr: 'email' | 'phone_number'): boolean => !!user.attributes[attr] && user.attributes[`${attr}_verified`] === 'true';

/** Factors the pool offers (SetUserPoolMfaConfig). */
export function poolFactors(pool: Pool): Set<MfaFactor> {
  const c = mfaConfigOf(pool);
  const out = new Set<MfaFactor>();
  if (c.SmsMfaConfiguration) out.add('SMS_MFA');
  if (c.SoftwareTokenMfaConfiguration?.Enabled) out.add('SOFTWARE_TOKEN_MFA');
  if (c.EmailMfaConfiguration) out.add('EMAIL_OTP');
  return out;
}

/** Whether the user could receive or produce a code for `factor`: SMS only to a verified phone, email only to a verified address, TOTP only with a verified authenticator. */
export function userCanUse(user: User, row: UserMfaRow | null, factor: MfaFactor): boolean {
  if (factor === 'SMS_MFA') return verified(user, 'phone_number');
  if (factor === 'EMAIL_OTP') return verified(user, 'email');
  return !!row?.totp_secret_sealed;
}

export const isEnabled = (row: Pick<UserMfaRow, 'sms_enabled' | 'email_enabled' | 'totp_enabled'> | null, f: MfaFactor): boolean =>
  !!row && (f === 'SMS_MFA' ? row.sms_enabled : f === 'EMAIL_OTP' ? row.email_enabled : row.totp_enabled) === 1;

/** GetUser's and AdminGetUser's MFA members: legacy MFAOptions (Admin/SetUserSettings), the enabled factors and the preferred one, each only when set, as Cognito does. */
export async function userMfaFields(
  ctx: { store: Context['store'] },
  user: User,
  /** Already read with the user (an access-token call's caller), or read here. */
  summary?: MfaSummary,
): Promise<{ MFAOptions?: { DeliveryMedium: string; AttributeName: string }[]; UserMFASettingList?: string[]; PreferredMfaSetting?: string }> {
  const { factors, legacy } = summary ?? (await ctx.store.mfa.summary(user.sub));
  const list = FACTORS.filter((f) => isEnabled(factors, f));
  return {
    ...(legacy.length ? { MFAOptions: legacy } : {}),
    ...(list.length ? { UserMFASettingList: list } : {}),
    ...(factors?.preferred && list.includes(factors.preferred as MfaFactor) ? { PreferredMfaSetting: factors.preferred } : {}),
  };
}

/**
 * The second-factor step after a first factor (and no remembered device):
 * - MfaConfiguration OFF: none.
 * - OPTIONAL: only for a user with a factor enabled (SetUserMFAPreference)
 *   that the pool offers and the user can still use.
 * - ON: the enabled factors; failing those, every offered factor the user can
 *   already use (a verified authenticator, a verified phone for SMS, a verified
 *   email for email MFA) so Cognito sends the code straight away; failing
 *   that, MFA_SETUP (set up an authenticator through the Session).
 * One candidate, or the preferred one, is challenged directly; several with
 * none preferred give SELECT_MFA_TYPE.
 */
export async function mfaStep(ctx: Context, pool: Pool, client: AppClient, user: User, signals: SignInSignals = {}): Promise<AuthStep | null> {
  const mode = mfaConfigOf(pool).MfaConfiguration ?? 'OFF';
  if (mode === 'OFF') return null;
  const offered = poolFactors(pool);
  const row = await ctx.store.mfa.get(user.sub);
  let candidates = FACTORS.filter((f) => offered.has(f) && isEnabled(row, f) && userCanUse(user, row, f));
  if (!candidates.length && mode === 'ON') candidates = FACTORS.filter((f) => offered.has(f) && userCanUse(user, row, f));
  if (!candidates.length) {
    if (mode !== 'ON') return null;
    const session = await openChallenge(ctx.store, ctx, { client, user, challenge: 'MFA_SETUP', state: { signals, stage: 'start' } satisfies MfaState });
    // Through the Session a user sets up an authenticator app (Associate/VerifySoftwareToken)
    // or, where the pool offers email MFA, an email address (MFA_SETUP answered with EMAIL,
    // then an EMAIL_OTP code to it: what Amplify's CONTINUE_SIGN_IN_WITH_EMAIL_SETUP does).
    // SMS needs a verified phone number first, which no Session step can give.
    const inSession = FACTORS.filter((f) => f !== 'SMS_MFA' && offered.has(f));
    const canSetUp = inSession.length ? inSession : [...offered];
    return { ChallengeName: 'MFA_SETUP', Session: session, ChallengeParameters: { MFAS_CAN_SETUP: JSON.stringify(canSetUp) } };
  }
  const preferred = row?.preferred as MfaFactor | null | undefined;
  const chosen = preferred && candidates.includes(preferred) ? preferred : candidates.length === 1 ? candidates[0]! : null;
  if (chosen) return challengeFor(ctx, pool, client, user, chosen, signals, row);
  const session = await openChallenge(ctx.store, ctx, {
    client,
    user,
    challenge: 'SELECT_MFA_TYPE',
    state: { signals, choices: candidates } satisfies MfaState,
  });
  return {
    ChallengeName: 'SELECT_MFA_TYPE',
    Session: session,
    ChallengeParameters: { MFAS_CAN_CHOOSE: JSON.stringify(candidates), USER_ID_FOR_SRP: user.username },
  };
}

/**
 * Opens the challenge for one factor; for SMS and email, makes a code bound to
 * that Session and sends it. `setupEmail`: an EMAIL_OTP to an address being
 * set up through MFA_SETUP rather than to the user's own.
 */
export async function challengeFor(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  user: User,
  factor: MfaFactor,
  signals: SignInSignals,
  row: UserMfaRow | null,
  setupEmail?: string,
): Promise<AuthStep> {
  if (factor === 'SOFTWARE_TOKEN_MFA') {
    const session = await openChallenge(ctx.store, ctx, { client, user, challenge: factor, state: { signals } satisfies MfaState });
    return { ChallengeName: factor, Session: session, ChallengeParameters: row?.totp_friendly_name ? { FRIENDLY_DEVICE_NAME: row.totp_friendly_name } : {} };
  }
  // CustomMessage_Authentication shapes the code's message; the function runs (and may fail the sign-in) before the challenge opens.
  const recipient = setupEmail ? { ...user, attributes: { ...user.attributes, email: setupEmail } } : user;
  const medium = factor === 'EMAIL_OTP' ? ('EMAIL' as const) : ('SMS' as const);
  const plan = await planMessage(ctx, pool, recipient, { kind: 'Authentication', clientId: client.clientId, mediums: [medium] });
  const code = ctx.ids.code(6);
  const nonce = ctx.ids.uuid();
  const state: MfaState = { signals, nonce, codeMac: codeMac(ctx, user.sub, nonce, code), ...(setupEmail ? { setupEmail } : {}) };
  const session = await openChallenge(ctx.store, ctx, { client, user, challenge: factor, state: { ...state } });
  const config = mfaConfigOf(pool);
  if (factor === 'EMAIL_OTP') {
    const to = setupEmail ?? user.attributes['email']!;
    if (!queueCustomSender(ctx, pool, recipient, plan, 'EMAIL', code)) {
      const body = renderTemplate(plan.texts?.emailMessage ?? config.EmailMfaConfiguration?.Message ?? DEFAULT_EMAIL_MFA_MESSAGE, {
        code,
        username: user.username,
      });
      await queueMessage(ctx, ctx.store, {
        poolId: pool.id,
        to,
        from: pool.settings.EmailConfiguration?.From,
        subject: plan.texts?.emailSubject ?? config.EmailMfaConfiguration?.Subject ?? DEFAULT_EMAIL_MFA_SUBJECT,
        body,
      });
    }
    const d = emailDelivery(to);
    return {
      ChallengeName: factor,
      Session: session,
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: d.DeliveryMedium, CODE_DELIVERY_DESTINATION: d.Destination },
    };
  }
  const to = user.attributes['phone_number']!;
  const message = renderTemplate(plan.texts?.smsMessage ?? config.SmsMfaConfiguration?.SmsAuthenticationMessage ?? DEFAULT_SMS_MFA_MESSAGE, {
    code,
    username: user.username,
  });
  if (!queueCustomSender(ctx, pool, user, plan, 'SMS', code) && !queueSms(ctx, { poolId: pool.id, to, message }))
    ctx.log.warn({ poolId: pool.id }, 'SMS MFA code not sent: no SMS webhook configured (--sms-webhook-url)');
  const d = smsDelivery(to);
  return {
    ChallengeName: factor,
    Session: session,
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: d.DeliveryMedium, CODE_DELIVERY_DESTINATION: d.Destination },
  };
}
