import { emailDelivery, simulatedDelivery, smsDelivery, type CodeDeliveryDetails } from '../domain/masking.ts';
import { DEFAULT_EMAIL_MESSAGE, DEFAULT_EMAIL_SUBJECT, type Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import type { Context } from '../context.ts';
import type { Store } from '../store/store.ts';
import { issueCode, type CodePurpose } from './codes.ts';
import { renderTemplate } from './mailer.ts';

const DEFAULT_SMS_MESSAGE = 'Your verification code is {####}. ';

/**
 * Issues a code for `purpose` and queues its message to the user's email (or,
 * failing that, phone) in `tx`; mail is handed to SMTP once the operation has
 * succeeded. SMS goes to the outbox too: Cognate sends no SMS itself.
 */
export async function sendCode(
  ctx: Context,
  tx: Store,
  pool: Pool,
  user: User,
  purpose: CodePurpose,
  target: 'email' | 'phone_number' | 'any' = 'any',
): Promise<CodeDeliveryDetails | null> {
  const email = user.attributes['email'];
  const phone = user.attributes['phone_number'];
  const useEmail = target === 'email' || (target === 'any' && email !== undefined);
  const to = useEmail ? email : phone;
  if (!to) return null;
  const code = await issueCode(tx, ctx, user, purpose);
  const template = pool.settings.VerificationMessageTemplate;
  const body = useEmail
    ? renderTemplate(template?.EmailMessage ?? DEFAULT_EMAIL_MESSAGE, { code, username: user.username })
    : renderTemplate(template?.SmsMessage ?? DEFAULT_SMS_MESSAGE, { code, username: user.username });
  await queueMessage(ctx, tx, {
    poolId: pool.id,
    to,
    from: pool.settings.EmailConfiguration?.From,
    subject: useEmail ? (template?.EmailSubject ?? DEFAULT_EMAIL_SUBJECT) : 'SMS',
    body,
  });
  return useEmail ? emailDelivery(to) : smsDelivery(to);
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
