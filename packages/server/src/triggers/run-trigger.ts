import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from '../context.ts';
import type { Pool } from '../domain/pool-settings.ts';
import { regionOfPoolId } from '../domain/regions.ts';
import { Errors } from '../errors/cognito-error.ts';
import { InvokeFailure } from './invokers/invoker.ts';
import { functionOf, type TriggerName } from './names.ts';

// Runs one of a pool's Lambda triggers as Cognito does
// (developer guide, "Customizing user pool workflows with Lambda triggers"):
// the event carries the common fields and the trigger's request, the
// function returns the whole event, and the operation reads `response`.
// Five seconds in all; a function that cannot be reached (refused,
// throttled) is tried again within them, three attempts at most, after a
// short pause (a runtime that is starting up, a throttle that is lifting).
//
//   the function threw           UserLambdaValidationException "<Trigger> failed with error <message>."
//   it returned something else   InvalidLambdaResponseException "Unrecognizable lambda output"
//   it could not be run in time  UnexpectedLambdaException "<Trigger> invocation failed due to error <reason>"
//
// Events carry passwords (UserMigration) and codes: never logged.

export const TRIGGER_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 3;
/** The pause before the second and third attempts. */
const RETRY_DELAYS_MS = [200, 800];

export interface TriggerCall {
  trigger: TriggerName;
  triggerSource: string;
  /** The user's name, or null before there is one (custom auth with no user named yet). */
  userName: string | null;
  /** The app client of the call, when there is one (callerContext.clientId). */
  clientId: string | null;
  request: Record<string, unknown>;
  /** The response as Cognito pre-fills it (PreSignUp's autoConfirmUser: false, …); {} by default. */
  response?: Record<string, unknown>;
  /** The event's version: "1" except for pre token generation V2_0/V3_0 ("2", "3"). */
  version?: string;
}

export type TriggerResponse = Record<string, unknown>;

/** The event as the function receives it. */
export function triggerEvent(ctx: Context, pool: Pool, call: TriggerCall): Record<string, unknown> {
  return {
    version: call.version ?? '1',
    triggerSource: call.triggerSource,
    region: regionOfPoolId(pool.id),
    userPoolId: pool.id,
    userName: call.userName,
    callerContext: { awsSdkVersion: sdkVersionOf(ctx.request.userAgent), clientId: call.clientId ?? 'CLIENT_ID_NOT_APPLICABLE' },
    request: call.request,
    response: call.response ?? {},
  };
}

/**
 * Runs the trigger when the pool has one: resolves to the function's
 * `response` ({} when it left it out), or null when no function is set.
 */
export async function runTrigger(ctx: Context, pool: Pool, call: TriggerCall): Promise<TriggerResponse | null> {
  const arn = functionOf(pool, call.trigger);
  if (!arn) return null;
  const event = triggerEvent(ctx, pool, call);
  const deadline = performance.now() + TRIGGER_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    let outcome: Awaited<ReturnType<Context['functions']['invoke']>>;
    try {
      // Whole milliseconds: AbortSignal.timeout and setTimeout refuse fractions.
      outcome = await ctx.functions.invoke(arn, event, Math.max(1, Math.floor(deadline - performance.now())));
    } catch (err) {
      const reason = err instanceof InvokeFailure ? err.message : 'Internal error.';
      const pause = RETRY_DELAYS_MS[attempt - 1] ?? 0;
      if (err instanceof InvokeFailure && err.retryable && attempt < MAX_ATTEMPTS && deadline - performance.now() > pause + 100) {
        await sleep(pause);
        continue;
      }
      // The reason and the ARN only: never the event (passwords, codes). A fault of Cognate's own is logged whole.
      if (err instanceof InvokeFailure)
        ctx.log.warn({ reqId: ctx.request.requestId, trigger: call.trigger, function: arn, reason }, 'trigger function could not be invoked');
      else ctx.log.error({ reqId: ctx.request.requestId, trigger: call.trigger, function: arn, err }, 'trigger function could not be invoked');
      throw Errors.UnexpectedLambda(`${call.trigger} invocation failed due to error ${reason}`);
    }
    if (outcome.kind === 'failed') throw Errors.UserLambdaValidation(`${call.trigger} failed with error ${outcome.message}.`);
    return responseOf(outcome.output);
  }
}

/** The returned event's `response`: an object, or absent/null (nothing changed). */
function responseOf(output: unknown): TriggerResponse {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) throw unrecognizable();
  const response = (output as { response?: unknown }).response;
  if (response === undefined || response === null) return {};
  if (typeof response !== 'object' || Array.isArray(response)) throw unrecognizable();
  return response as TriggerResponse;
}

export const unrecognizable = () => Errors.InvalidLambdaResponse('Unrecognizable lambda output');

/** A boolean member of a response (absent: `fallback`); anything else is an unrecognizable output. */
export function booleanOf(response: TriggerResponse, key: string, fallback = false): boolean {
  const value = response[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw unrecognizable();
  return value;
}

/** A string member of a response, or null when absent. */
export function stringOf(response: TriggerResponse, key: string): string | null {
  const value = response[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw unrecognizable();
  return value;
}

/** A string-to-string map member (attributes, claims), or null when absent. */
export function stringMapOf(response: TriggerResponse, key: string): Record<string, string> | null {
  const value = response[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw unrecognizable();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw unrecognizable();
    out[k] = v;
  }
  return out;
}

/** An operation's ClientMetadata as a trigger's request carries it: the members that have a value; undefined when none was sent. */
export function metadataOf(given: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (!given) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * callerContext.awsSdkVersion: the calling SDK as Cognito reports it
 * ("aws-sdk-js-3.1000.0"), from the User-Agent's first aws-sdk product;
 * "aws-sdk-unknown-unknown" when the caller is not an AWS SDK.
 */
export function sdkVersionOf(userAgent: string): string {
  const m = /aws-sdk-([a-z]+)\/(\d[\w.-]*)/i.exec(userAgent);
  return m ? `aws-sdk-${m[1]!.toLowerCase()}-${m[2]}` : 'aws-sdk-unknown-unknown';
}
