import { emailDelivery, simulatedDelivery, smsDelivery, type CodeDeliveryDetails } from '../domain/masking.ts';
import { DEFAULT_EMAIL_MESSAGE, DEFAULT_EMAIL_SUBJECT, type Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import type { Context } from '../context.ts';
import type { Store } from '../store/store.ts';
import { issueCode, type CodePurpose } from './codes.ts';
import { renderTemplate } from './mailer.ts';
import { queueCustomSender } from '../triggers/custom-sender.ts';
import type { Medium, MessageKind, MessagePlan } from '../triggers/custom-message.ts';

const DEFAULT_SMS_MESSAGE = 'Your verification code is {####}. ';

/** The message kind a code's purpose makes when the caller planned none (CustomMessage_<kind>, CustomEmailSender_<kind>). */
const kindOf = (purpose: CodePurpose): MessageKind =>
  purpose === 'signup' ? 'SignUp' : purpose === 'forgot-password' ? 'ForgotPassword' : 'VerifyUserAttribute';

/** Where sendCode's message goes for `target`: the email when asked for (or, for 'any', when the user has one), else the phone. */
export function codeMedium(user: User, target: 'email' | 'phone_number' | 'any'): Medium | null {
  const useEmail = target === 'email' || (target === 'any' && user.attributes['email'] !== undefined);
  const to = useEmail ? user.attributes['email'] : user.attributes['phone_number'];
  return to ? (useEmail ? 'EMAIL' : 'SMS') : null;
}

/**
 * Issues a code for `purpose` and queues its message to the user's email (or,
 * failing that, phone) in `tx`; mail is handed to SMTP once the operation has
 * succeeded. SMS goes to the outbox too: Cognate sends no SMS itself. `plan`
 * (triggers/custom-message.ts planMessage, run before the transaction)
 * carries the CustomMessage function's texts; with a custom sender for the
 * medium, the code goes to that function instead of the outbox.
 */
export async function sendCode(
  ctx: Context,
  tx: Store,
  pool: Pool,
  user: User,
  purpose: CodePurpose,
  target: 'email' | 'phone_number' | 'any' = 'any',
  plan: MessagePlan = { kind: kindOf(purpose), clientId: null, clientMetadata: undefined, texts: null },
): Promise<CodeDeliveryDetails | null> {
  const medium = codeMedium(user, target);
  if (!medium) return null;
  const useEmail = medium === 'EMAIL';
  const to = (useEmail ? user.attributes['email'] : user.attributes['phone_number'])!;
  const code = await issueCode(tx, ctx, user, purpose);
  const delivery = useEmail ? emailDelivery(to) : smsDelivery(to);
  if (queueCustomSender(ctx, pool, user, plan, medium, code)) return delivery;
  const template = pool.settings.VerificationMessageTemplate;
  const texts = plan.texts;
  const body = useEmail
    ? renderTemplate(texts?.emailMessage ?? template?.EmailMessage ?? DEFAULT_EMAIL_MESSAGE, { code, username: user.username })
    : renderTemplate(texts?.smsMessage ?? template?.SmsMessage ?? DEFAULT_SMS_MESSAGE, { code, username: user.username });
  await queueMessage(ctx, tx, {
    poolId: pool.id,
    to,
    from: pool.settings.EmailConfiguration?.From,
    subject: useEmail ? (texts?.emailSubject ?? template?.EmailSubject ?? DEFAULT_EMAIL_SUBJECT) : 'SMS',
    body,
  });
  return delivery;
}

/**
 * The CodeDeliveryDetails answered, with PreventUserExistenceErrors ENABLED,
 * for a name that gets no message: stable for that name in that pool.
 */
export function simulatedCodeDelivery(ctx: Context, pool: Pool, given: string, medium: 'EMAIL' | 'SMS'): { CodeDeliveryDetails: CodeDeliveryDetails } {
  return { CodeDeliveryDetails: simulatedDelivery(given, ctx.master.mac('simulated-delivery', `${pool.id}|${given}`), medium) };
}

/** Queues a message in `tx` and hands it to the mailer after the operation succeeds. */
export async function queueMessage(
  ctx: Context,
  tx: Store,
  mail: { poolId: string; to: string; from?: string | undefined; subject: string; body: string },
): Promise<void> {
  const id = await ctx.mailer.enqueue(tx, mail);
  if (mail.to.includes('@')) ctx.afterSuccess.push(() => ctx.mailer.deliver(id));
}
