import type { Context } from '../context.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { encryptForSender } from './code-encryption.ts';
import { type Medium, type MessagePlan, senderTrigger } from './custom-message.ts';
import { functionOf, lambdaConfigOf } from './names.ts';
import { triggerEvent } from './run-trigger.ts';
import { eventAttributesOf } from './user-attributes.ts';

// The custom sender triggers (developer guide, "Custom email sender Lambda
// trigger", "Custom SMS sender Lambda trigger"): with
// LambdaConfig.CustomEmailSender (CustomSMSSender) set, Cognate sends no
// email (SMS) itself and hands the function the encrypted code instead:
//
//   request: { type: "customEmailSenderRequestV1" | "customSMSSenderRequestV1",
//              code: <base64 AWS Encryption SDK message>, clientMetadata?, userAttributes }
//
// Cognito invokes these functions asynchronously: the operation neither waits
// for nor fails with them. Cognate invokes once the operation has committed
// (a failed operation sends nothing, as with mail) and only logs a failure.
// The event holds the encrypted code: never logged.

/** How long an asynchronous sender may run; its caller is no longer waiting. */
const SENDER_TIMEOUT_MS = 30_000;

/**
 * Hands `secret` (a code, or a temporary password for AdminCreateUser) to
 * the pool's custom sender for `medium` after the operation succeeds.
 * Returns false, doing nothing, when the pool has no sender for that medium.
 */
export function queueCustomSender(ctx: Context, pool: Pool, user: User, plan: MessagePlan, medium: Medium, secret: string): boolean {
  const trigger = senderTrigger(medium);
  const arn = functionOf(pool, trigger);
  if (!arn) return false;
  const { response: _none, ...common } = triggerEvent(ctx, pool, {
    trigger,
    triggerSource: `${trigger}_${plan.kind}`,
    userName: user.username,
    clientId: plan.clientId,
    request: {},
  });
  const userAttributes = eventAttributesOf(pool, user);
  // "Amazon Cognito HTML-escapes temporary passwords" before encrypting them (custom sender guide).
  const plaintext = plan.kind === 'AdminCreateUser' ? escapeHtml(secret) : secret;
  ctx.afterSuccess.push(async () => {
    const code = await encryptForSender(ctx.config, lambdaConfigOf(pool).KMSKeyID ?? null, pool.id, plaintext);
    const request = {
      type: medium === 'EMAIL' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
      code,
      ...(plan.clientMetadata ? { clientMetadata: plan.clientMetadata } : {}),
      userAttributes,
    };
    const outcome = await ctx.functions.invoke(arn, { ...common, request }, SENDER_TIMEOUT_MS);
    if (outcome.kind === 'failed') throw new Error(`${trigger} failed with error ${outcome.message}`);
  });
  return true;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
