import type { AuthEventType, ChallengeOutcome, Context, Deps } from '../context.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import { safeEqual } from '../crypto/master-key.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import type { AuthEventRow } from '../store/tables.ts';
import { Errors } from '../errors/cognito-error.ts';

// The auth event history of AdminListUserAuthEvents. A handler (or the
// sign-in service it calls) states once which user and kind of event an
// operation is about (`noteAuthEvent`); the protocol layer writes the event
// after the operation has finished, outside its transaction, with Pass on
// success (InProgress when a challenge follows) and Fail when it threw, so
// failed attempts are recorded too.

/** States which user this operation is about; a later call (a second step) replaces the earlier one. */
export function noteAuthEvent(ctx: Context, user: Pick<User, 'poolId' | 'sub'>, type: AuthEventType): void {
  ctx.authEvent = { poolId: user.poolId, sub: user.sub, type, challenges: [] };
}

/** Records how a challenge of the noted event went (a password checked right or wrong). */
export function noteChallenge(ctx: Context, name: ChallengeOutcome['ChallengeName'], ok: boolean): void {
  ctx.authEvent?.challenges.push({ ChallengeName: name, ChallengeResponse: ok ? 'Success' : 'Failure' });
}

/**
 * Writes the noted event, if any. Called by the protocol layer once the
 * operation has returned (`result`) or thrown (`result` null). Never throws:
 * a failure to record must not change the caller's answer.
 */
export async function recordAuthEvent(deps: Deps, ctx: Context, result: object | null): Promise<void> {
  const note = ctx.authEvent;
  if (!note) return;
  // Cognito keeps a user's auth events only where threat protection runs
  // (AdminListUserAuthEvents answers nothing else): elsewhere the write, a
  // commit per sign-in, would be kept for no one.
  const response = result === null ? 'Fail' : 'ChallengeName' in result && !('AuthenticationResult' in result) ? 'InProgress' : 'Pass';
  try {
    const pool = await deps.store.pools.pool(note.poolId);
    if (!pool || !threatProtectionOn(pool)) return;
    // One commit for the insert and the pruning of the oldest events.
    await deps.store.transaction((tx) =>
      tx.events.append({
        event_id: deps.ids.uuid(),
        pool_id: note.poolId,
        sub: note.sub,
        event_type: note.type,
        event_response: response,
        challenge_responses: JSON.stringify(note.challenges),
        ip_address: ctx.request.sourceIp.slice(0, 64),
        device_name: deviceName(ctx.request.userAgent),
        created_at: deps.clock.now(),
      }),
    );
  } catch (err) {
    deps.log.warn({ reqId: ctx.request.requestId, err: (err as Error).message }, 'auth event not recorded');
  }
}

/** Threat protection's add-on: the event history and risk APIs answer only where it is on, as in Cognito. */
export const threatProtectionOn = (pool: Pool): boolean => {
  const mode = pool.settings.UserPoolAddOns?.AdvancedSecurityMode;
  return mode === 'AUDIT' || mode === 'ENFORCED';
};

/**
 * The device name Cognito shows for an event: "<browser or client> <version>,
 * <operating system>", from the user agent ("Other, Other" when nothing is
 * recognised). Only this summary is stored, never the raw header.
 */
export function deviceName(userAgent: string): string {
  const ua = userAgent.slice(0, 1024);
  const browser =
    match(ua, /Edg(?:e|A|iOS)?\/(\d+)/, 'Edge') ??
    match(ua, /(?:Chrome|CriOS)\/(\d+)/, 'Chrome') ??
    match(ua, /(?:Firefox|FxiOS)\/(\d+)/, 'Firefox') ??
    (/Safari\//.test(ua) ? match(ua, /Version\/(\d+)/, 'Safari') : null) ??
    match(ua, /aws-sdk-js\/(\d+)/, 'aws-sdk-js') ??
    match(ua, /aws-cli\/(\d+)/, 'aws-cli') ??
    match(ua, /Boto3\/(\d+)/, 'Boto3') ??
    product(ua);
  const os =
    (/Windows NT/.test(ua) && 'Windows') ||
    (/(iPhone|iPad|iPod)/.test(ua) && 'iOS') ||
    (/Mac OS X|Macintosh|os\/macOS/i.test(ua) && 'Mac OS X') ||
    (/Android/.test(ua) && 'Android') ||
    (/Linux|os\/linux/i.test(ua) && 'Linux') ||
    'Other';
  return `${browser}, ${os}`;
}

const match = (ua: string, re: RegExp, name: string): string | null => {
  const m = re.exec(ua);
  return m ? `${name} ${m[1]}` : null;
};

/** The first product token ("curl/8.5.0" → "curl 8"), or Other. */
function product(ua: string): string {
  const m = /^([A-Za-z][\w.-]{0,40})\/(\d+)/.exec(ua.trim());
  return m ? `${m[1]} ${m[2]}` : 'Other';
}

/**
 * The FeedbackToken for an event: a MAC over pool, user and event under the
 * master key, so only Cognate can issue one and it names exactly one event.
 * Cognito hands these out in its threat-protection notification emails;
 * Cognate sends none (enforcement is out of scope), so operators who want
 * end-user feedback get the token from `feedbackToken` and put it in their own
 * messages.
 */
export function feedbackToken(master: MasterKey, poolId: string, sub: string, eventId: string): string {
  return master.mac('auth-event-feedback', `${poolId}\n${sub}\n${eventId}`);
}

export function feedbackTokenMatches(master: MasterKey, poolId: string, sub: string, eventId: string, given: string): boolean {
  return safeEqual(feedbackToken(master, poolId, sub, eventId), given);
}

/** An event as AdminListUserAuthEvents returns it (timestamps in epoch seconds). */
export function describeAuthEvent(row: AuthEventRow): Record<string, unknown> {
  const challenges = JSON.parse(row.challenge_responses) as ChallengeOutcome[];
  return {
    EventId: row.event_id,
    EventType: row.event_type,
    CreationDate: Number(row.created_at) / 1000,
    EventResponse: row.event_response,
    // Cognate scores no risk: every event is reported as Cognito reports an
    // event its threat protection found nothing wrong with.
    EventRisk: { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false },
    ChallengeResponses: challenges,
    EventContextData: { IpAddress: row.ip_address, DeviceName: row.device_name },
    ...(row.feedback_value
      ? {
          EventFeedback: {
            FeedbackValue: row.feedback_value,
            Provider: row.feedback_provider ?? 'Admin',
            ...(row.feedback_at !== null ? { FeedbackDate: Number(row.feedback_at) / 1000 } : {}),
          },
        }
      : {}),
  };
}

/** Refuses the threat-protection APIs on a pool without the add-on. The message text is Cognate's (Cognito's was not found). */
export function requireThreatProtection(pool: Pool): void {
  if (!threatProtectionOn(pool))
    throw Errors.UserPoolAddOnNotEnabled(`Threat protection (UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for user pool ${pool.id}.`);
}

/** Stores feedback on one of the user's events; an unknown event is ResourceNotFoundException. */
export async function saveFeedback(ctx: Context, sub: string, eventId: string, value: string, provider: 'Admin' | 'User'): Promise<void> {
  const event = await ctx.store.events.event(sub, eventId);
  if (!event) throw Errors.ResourceNotFound('Auth event not found.');
  await ctx.store.events.setFeedback(event.event_id, value, provider, ctx.clock.now());
}
