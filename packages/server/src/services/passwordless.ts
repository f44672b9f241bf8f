import { safeEqual } from '../crypto/master-key.ts';
import { preventsUserExistenceErrors, type AppClient } from '../domain/client-settings.ts';
import { maskEmail, maskPhone } from '../domain/masking.ts';
import { mfaConfigOf, type Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { CognitoError, Errors } from '../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName } from './lookups.ts';
import type { Context } from '../context.ts';
import type { FlowEnv, Params } from '../auth-flows/flow.ts';
import { noteAuthEvent } from './auth-events.ts';
import { openChallenge, peekChallenge, takeChallenge } from './challenges.ts';
import { countAttempt } from './codes.ts';
import { planMessage } from '../triggers/custom-message.ts';
import { queueCustomSender } from '../triggers/custom-sender.ts';
import { renderTemplate } from './mailer.ts';
import { queueMessage, simulatedCodeDelivery } from './messages.ts';
import {
  afterFirstFactor,
  checkBeforePassword,
  checkUnknownNameBeforePassword,
  codeGuessRight,
  passwordAccepted,
  takeCodeGuess,
  unknownNameRefused,
} from './sign-in.ts';
import type { AuthStep } from './auth-step.ts';
import { queueSms } from './sms.ts';

// Choice-based sign-in (USER_AUTH): which first factors a user may choose,
// and the passwordless one-time-code factors EMAIL_OTP and SMS_OTP. Cognito's
// rules (developer guide, "Authentication flows", "Manage authentication
// methods in AWS SDKs"; SignInPolicyType in the API reference):
// - the pool's Policies.SignInPolicy.AllowedFirstAuthFactors lists them;
//   PASSWORD there covers both PASSWORD and PASSWORD_SRP;
// - the sign-in policy needs the Essentials tier or above, so a LITE pool
//   offers passwords only;
// - "Passwordless authentication flows aren't compatible with required MFA":
//   none with MfaConfiguration ON, and in an OPTIONAL pool none for a user
//   who has activated MFA;
// - the code goes to the user's email address or phone number. Cognito also
//   accepts an unverified one (and marks it verified on success); Cognate
//   sends sign-in codes only to verified ones, so an address the user never
//   proved (or mistyped) cannot sign anyone in;
// - SMS needs the pool's SmsConfiguration and, since Cognate sends no SMS
//   itself, the operator's SMS webhook; WEB_AUTHN (passkeys) comes later.

export const FIRST_FACTORS = ['WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP', 'PASSWORD', 'PASSWORD_SRP'] as const;
export type FirstFactor = (typeof FIRST_FACTORS)[number];
export const isFirstFactor = (name: string): name is FirstFactor => (FIRST_FACTORS as readonly string[]).includes(name);

/** The purpose mark of a passwordless challenge row: EMAIL_OTP is also the MFA email code's ChallengeName. */
export const FIRST_FACTOR_PURPOSE = 'first-factor';

type OtpFactor = 'EMAIL_OTP' | 'SMS_OTP';
interface Channel {
  attribute: 'email' | 'phone_number';
  codeParam: string;
  medium: 'EMAIL' | 'SMS';
  mask: (to: string) => string;
}
const CHANNELS: Record<OtpFactor, Channel> = {
  EMAIL_OTP: { attribute: 'email', codeParam: 'EMAIL_OTP_CODE', medium: 'EMAIL', mask: maskEmail },
  SMS_OTP: { attribute: 'phone_number', codeParam: 'SMS_OTP_CODE', medium: 'SMS', mask: maskPhone },
};
// Cognito's defaults for sign-in and MFA code messages (its EmailMfaConfiguration / SmsAuthenticationMessage templates).
const DEFAULT_EMAIL_MESSAGE = 'Your authentication code is {####}.';
const DEFAULT_EMAIL_SUBJECT = 'Your authentication code';
const DEFAULT_SMS_MESSAGE = 'Your authentication code is {####}. ';

/** Sign-in code messages one user (or unknown name) may trigger per hour, so USER_AUTH cannot flood a mailbox or phone. */
const CODES_PER_HOUR = 20;

const invalidSession = () => Errors.NotAuthorized('Invalid session for the user.');
// The text Cognito gives a wrong MFA code (docs/research/cognito-errors.md); passwordless codes are assumed to share it.
const wrongCode = () => Errors.CodeMismatch('Invalid code or auth state for the user.');

/** A user's MFA settings as GetUserAuthFactors reports them (from the MFA store, migration 010). */
export interface UserMfa {
  /** UserMFASettingList: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP. */
  enabled: string[];
  preferred: string | null;
}

export async function userMfa(ctx: Context, sub: string): Promise<UserMfa> {
  const row = await ctx.store.mfa.get(sub);
  if (!row) return { enabled: [], preferred: null };
  const enabled = [
    ...(Number(row.sms_enabled) ? ['SMS_MFA'] : []),
    ...(Number(row.totp_enabled) ? ['SOFTWARE_TOKEN_MFA'] : []),
    ...(Number(row.email_enabled) ? ['EMAIL_OTP'] : []),
  ];
  return { enabled, preferred: row.preferred && enabled.includes(row.preferred) ? row.preferred : null };
}

/** Passwordless factors at all: the Essentials tier or above, and MFA not required. */
const passwordlessPool = (pool: Pool): boolean => pool.settings.UserPoolTier !== 'LITE' && pool.settings.MfaConfiguration !== 'ON';

/** The first factors the pool offers with USER_AUTH (what an unknown name is offered under PreventUserExistenceErrors). */
export function poolFirstFactors(ctx: Pick<Context, 'config'>, pool: Pool): FirstFactor[] {
  const allowed = new Set<string>(pool.settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD']);
  const out: FirstFactor[] = [];
  if (allowed.has('EMAIL_OTP') && passwordlessPool(pool)) out.push('EMAIL_OTP');
  if (allowed.has('SMS_OTP') && passwordlessPool(pool) && pool.settings.SmsConfiguration !== undefined && ctx.config.smsWebhookUrl) out.push('SMS_OTP');
  if (allowed.has('PASSWORD')) out.push('PASSWORD', 'PASSWORD_SRP');
  return out;
}

const verified = (user: User, attribute: Channel['attribute']): string | null =>
  user.attributes[attribute] && user.attributes[`${attribute}_verified`] === 'true' ? user.attributes[attribute]! : null;

/** The first factors this user can complete: AvailableChallenges, and (without PASSWORD_SRP) ConfiguredUserAuthFactors. */
export async function userFirstFactors(ctx: Context, pool: Pool, user: User): Promise<FirstFactor[]> {
  const offered = poolFirstFactors(ctx, pool);
  const noMfa = offered.some((f) => f in CHANNELS) && (await userMfa(ctx, user.sub)).enabled.length === 0;
  return offered.filter((f) => (f === 'EMAIL_OTP' || f === 'SMS_OTP' ? noMfa && verified(user, CHANNELS[f].attribute) !== null : user.passwordHash !== null));
}

/** What a passwordless challenge row keeps: the code's keyed hash, never the code. */
interface OtpState {
  purpose: typeof FIRST_FACTOR_PURPOSE;
  /** Random per challenge, so equal codes of two sign-ins hash apart. */
  nonce: string;
  codeHash?: string;
  /** A simulated challenge (unknown name, PreventUserExistenceErrors ENABLED): the key its failures count under. */
  unknownName?: string;
}

const codeHash = (ctx: Context, client: AppClient, factor: OtpFactor, sub: string, nonce: string, code: string): string =>
  ctx.master.mac('passwordless-otp', `${factor}\n${client.clientId}\n${sub}\n${nonce}\n${code}`);

/**
 * Starts a passwordless factor: sends a six-digit code to the user's
 * verified email (EMAIL_OTP) or phone (SMS_OTP, through the SMS webhook) and
 * opens the challenge of the same name. The code lives only in that
 * challenge row, as a keyed hash: it is bound to the Session, expires with
 * it (AuthSessionValidity) and is taken once. An unknown name
 * (PreventUserExistenceErrors ENABLED) gets the same answer with a stable
 * made-up destination, and nothing is sent.
 */
export async function startPasswordlessCode(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  factor: OtpFactor,
  user: User | null,
  given: string,
): Promise<AuthStep> {
  const channel = CHANNELS[factor];
  const nonce = ctx.ids.bytes(16).toString('base64url');
  if (!user) {
    const unknownName = await checkUnknownNameBeforePassword(ctx, pool, given);
    await countAttempt(ctx.store, ctx.clock, `passwordless:${unknownName}`, CODES_PER_HOUR);
    const state: OtpState = { purpose: FIRST_FACTOR_PURPOSE, nonce, unknownName };
    const session = await openChallenge(ctx.store, ctx, { client, user: null, challenge: factor, state: { ...state } });
    return codeStep(factor, session, simulatedCodeDelivery(ctx, pool, given, channel.medium).CodeDeliveryDetails.Destination ?? '');
  }
  const to = verified(user, channel.attribute);
  if (!to) throw Errors.InvalidParameter(`${factor} is not available for the user.`);
  checkBeforePassword(user, ctx.clock.now(), client);
  await countAttempt(ctx.store, ctx.clock, `passwordless:${user.sub}`, CODES_PER_HOUR);
  // CustomMessage_Authentication shapes the code's message before the transaction queues it.
  const plan = await planMessage(ctx, pool, user, { kind: 'Authentication', clientId: client.clientId, mediums: [channel.medium] });
  const code = ctx.ids.code(6);
  const state: OtpState = { purpose: FIRST_FACTOR_PURPOSE, nonce, codeHash: codeHash(ctx, client, factor, user.sub, nonce, code) };
  const config = mfaConfigOf(pool);
  const session = await ctx.store.transaction(async (tx) => {
    const opened = await openChallenge(tx, ctx, { client, user, challenge: factor, state: { ...state } });
    if (queueCustomSender(ctx, pool, user, plan, channel.medium, code)) return opened;
    if (factor === 'EMAIL_OTP') {
      const template = config.EmailMfaConfiguration;
      const body = renderTemplate(plan.texts?.emailMessage ?? template?.Message ?? DEFAULT_EMAIL_MESSAGE, { code, username: user.username });
      await queueMessage(ctx, tx, {
        poolId: pool.id,
        to,
        from: pool.settings.EmailConfiguration?.From,
        subject: plan.texts?.emailSubject ?? template?.Subject ?? DEFAULT_EMAIL_SUBJECT,
        body,
      });
    } else {
      const message = renderTemplate(plan.texts?.smsMessage ?? pool.settings.SmsAuthenticationMessage ?? DEFAULT_SMS_MESSAGE, {
        code,
        username: user.username,
      });
      // Offered only with a webhook configured (poolFirstFactors), so this queues.
      queueSms(ctx, { poolId: pool.id, to, message });
    }
    return opened;
  });
  return codeStep(factor, session, channel.mask(to));
}

const codeStep = (factor: OtpFactor, session: string, destination: string): AuthStep => ({
  ChallengeName: factor,
  Session: session,
  ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: CHANNELS[factor].medium, CODE_DELIVERY_DESTINATION: destination },
});

/**
 * Answers a passwordless challenge this module opened (`state.purpose`
 * 'first-factor'), or returns null for any other session of that challenge
 * name (EMAIL_OTP as an MFA code), which the caller then handles. A wrong
 * code is CodeMismatchException and counts toward the user's lockout as a
 * wrong password does (five lock the account); the session stays open for
 * another try until it expires. A right code takes the session (once) and
 * goes where a right password goes: the user's status checks, then
 * afterFirstFactor (a new-password challenge, a remembered device, tokens).
 */
export async function answerPasswordlessCode(factor: OtpFactor, responses: Params, session: string | undefined, env: FlowEnv): Promise<AuthStep | null> {
  const { ctx, pool, client } = env;
  const row = await peekChallenge(ctx.store, ctx.clock, session, client, factor);
  const state = parseState(row.state);
  if (!state) return null;

  const username = responses['USERNAME'];
  if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
  checkSecretHash(client, username, responses['SECRET_HASH']);
  const codeParam = CHANNELS[factor].codeParam;
  const code = responses[codeParam];
  if (!code) throw Errors.InvalidParameter(`Missing required parameter ${codeParam}`);
  const named = await findUserBySignInName(ctx.store, pool, username);

  if (!row.sub) {
    // A simulated challenge: no code matches; failures count under the name, as a real account's would.
    if (named || !state.unknownName || !preventsUserExistenceErrors(client)) throw invalidSession();
    const key = await checkUnknownNameBeforePassword(ctx, pool, username);
    if (key !== state.unknownName) throw invalidSession();
    return unknownNameRefused(ctx, key).catch((err: unknown) => {
      throw err instanceof CognitoError && err.message === 'Incorrect username or password.' ? wrongCode() : err;
    });
  }
  if (!named || named.sub !== row.sub || !state.codeHash) throw invalidSession();
  const user = named;
  noteAuthEvent(ctx, user, 'SignIn');
  checkBeforePassword(user, ctx.clock.now(), client);
  // Counted before the comparison (refused while locked), so a burst of parallel guesses cannot outrun the lockout.
  await takeCodeGuess(ctx, user);
  if (!safeEqual(state.codeHash, codeHash(ctx, client, factor, user.sub, state.nonce, code))) throw wrongCode();
  await codeGuessRight(ctx, user);
  // Once only: of two right answers sent together, one gets the tokens.
  await takeChallenge(ctx.store, ctx.clock, session, client, factor);
  const accepted = await passwordAccepted(ctx, user);
  return afterFirstFactor(ctx, pool, client, accepted, { deviceKey: responses['DEVICE_KEY'] });
}

/**
 * The EMAIL_OTP entry point, for the EMAIL_OTP challenge handler to call
 * first: null for anything but a live passwordless session (an MFA code's
 * session, or one missing, unknown or expired), which that handler then
 * answers with its own checks and errors.
 */
export async function answerPasswordlessEmailOtp(responses: Params, session: string | undefined, env: FlowEnv): Promise<AuthStep | null> {
  try {
    await peekChallenge(env.ctx.store, env.ctx.clock, session, env.client, 'EMAIL_OTP');
  } catch (err) {
    if (err instanceof CognitoError) return null;
    throw err;
  }
  return answerPasswordlessCode('EMAIL_OTP', responses, session, env);
}

function parseState(text: string): OtpState | null {
  try {
    const s = JSON.parse(text) as Partial<OtpState>;
    if (s.purpose !== FIRST_FACTOR_PURPOSE || typeof s.nonce !== 'string') return null;
    return {
      purpose: FIRST_FACTOR_PURPOSE,
      nonce: s.nonce,
      ...(typeof s.codeHash === 'string' ? { codeHash: s.codeHash } : {}),
      ...(typeof s.unknownName === 'string' ? { unknownName: s.unknownName } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * GetUserAuthFactors / AdminGetUserAuthFactors: the user's MFA settings
 * (members left out while the user has none, as GetUser leaves them out)
 * and ConfiguredUserAuthFactors, the AuthFactorType values of the first
 * factors the user can choose now.
 */
export async function authFactorsOf(
  ctx: Context,
  pool: Pool,
  user: User,
): Promise<{ Username: string; PreferredMfaSetting?: string; UserMFASettingList?: string[]; ConfiguredUserAuthFactors: string[] }> {
  const mfa = await userMfa(ctx, user.sub);
  const factors = (await userFirstFactors(ctx, pool, user)).filter((f) => f !== 'PASSWORD_SRP');
  return {
    Username: user.username,
    ...(mfa.preferred ? { PreferredMfaSetting: mfa.preferred } : {}),
    ...(mfa.enabled.length ? { UserMFASettingList: mfa.enabled } : {}),
    ConfiguredUserAuthFactors: factors,
  };
}
