import type { Context } from '../context.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { functionOf } from './names.ts';
import { runTrigger, stringOf } from './run-trigger.ts';
import { eventAttributesOf } from './user-attributes.ts';

// The CustomMessage trigger (developer guide, "Custom message Lambda
// trigger"): before Cognito sends a code or a temporary password it asks the
// function for the texts. The function sees only placeholders, never the
// secret: `{####}` (codeParameter) and, for invitations, `{username}`
// (usernameParameter); Cognate puts the code and name in after it returns.
// The function runs before the operation's transaction (it is slow and may
// fail); the texts it returned travel into the transaction in a MessagePlan.

/** What the message is for: the part of triggerSource after `CustomMessage_` (and `CustomEmailSender_`, `CustomSMSSender_`). */
export type MessageKind = 'SignUp' | 'AdminCreateUser' | 'ResendCode' | 'ForgotPassword' | 'UpdateUserAttribute' | 'VerifyUserAttribute' | 'Authentication';

export type Medium = 'EMAIL' | 'SMS';

export const CODE_PARAMETER = '{####}';
export const USERNAME_PARAMETER = '{username}';
// Sent as Cognito sends it; Cognate has no link-style verification, so it is never replaced.
const LINK_PARAMETER = '{##Click Here##}';

/** The function's texts; a null member keeps the pool's template (or Cognito's default). */
export interface MessageTexts {
  emailSubject: string | null;
  emailMessage: string | null;
  smsMessage: string | null;
}

/** A message decided before the transaction: its kind and caller, for the custom senders too, and the function's texts. */
export interface MessagePlan {
  kind: MessageKind;
  /** callerContext.clientId: the app client, or null for operator calls. */
  clientId: string | null;
  clientMetadata: Record<string, string> | undefined;
  /** Null when the pool has no CustomMessage function (or every medium has a custom sender). */
  texts: MessageTexts | null;
}

export interface PlanRequest {
  kind: MessageKind;
  clientId: string | null;
  /** The call's ClientMetadata, as the API model types it. */
  clientMetadata?: Readonly<Record<string, string | undefined>> | undefined;
  /** The mediums the message may go by; a medium with a custom sender needs no text. */
  mediums: readonly Medium[];
}

/** The custom sender trigger for a medium, or null. */
export const senderTrigger = (medium: Medium): 'CustomEmailSender' | 'CustomSMSSender' => (medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender');

/**
 * Runs the pool's CustomMessage function, when it has one and some medium
 * will carry text, and returns the plan the message is then sent by. The
 * function's failure fails the operation (runTrigger's errors), before
 * anything is written.
 */
export async function planMessage(ctx: Context, pool: Pool, user: User, req: PlanRequest): Promise<MessagePlan> {
  const plan: MessagePlan = { kind: req.kind, clientId: req.clientId, clientMetadata: metadataOf(req.clientMetadata), texts: null };
  if (!req.mediums.some((m) => !functionOf(pool, senderTrigger(m)))) return plan;
  const request: Record<string, unknown> = {
    userAttributes: eventAttributesOf(pool, user),
    codeParameter: CODE_PARAMETER,
    linkParameter: LINK_PARAMETER,
    usernameParameter: req.kind === 'AdminCreateUser' ? USERNAME_PARAMETER : null,
  };
  if (plan.clientMetadata) request['clientMetadata'] = plan.clientMetadata;
  const response = await runTrigger(ctx, pool, {
    trigger: 'CustomMessage',
    triggerSource: `CustomMessage_${req.kind}`,
    userName: user.username,
    clientId: req.clientId,
    request,
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  if (!response) return plan;
  const invitation = req.kind === 'AdminCreateUser';
  plan.texts = {
    emailSubject: nonEmpty(stringOf(response, 'emailSubject')),
    emailMessage: usable(stringOf(response, 'emailMessage'), invitation),
    smsMessage: usable(stringOf(response, 'smsMessage'), invitation),
  };
  return plan;
}

/** ClientMetadata as the event carries it: string members only; absent when the call sent none. */
function metadataOf(given: PlanRequest['clientMetadata']): Record<string, string> | undefined {
  if (!given) return undefined;
  return Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const nonEmpty = (s: string | null): string | null => (s === null || s.trim() === '' ? null : s);

/**
 * A returned message must carry the code placeholder, and an invitation the
 * username placeholder too (the guide: "Must include the codeParameter
 * value"; "must include placeholder variables for the username and code").
 * One without them would deliver no code: the pool's own template goes
 * instead, as Cognito is reported to do.
 */
function usable(message: string | null, invitation: boolean): string | null {
  if (message === null || !message.includes(CODE_PARAMETER)) return null;
  if (invitation && !message.includes(USERNAME_PARAMETER)) return null;
  return message;
}
