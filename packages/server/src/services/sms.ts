import { createHmac } from 'node:crypto';
import type { Context } from '../context.ts';

const TIMEOUT_MS = 5000;

/**
 * Cognate sends no SMS itself: a message is POSTed as JSON to the operator's
 * webhook (config smsWebhookUrl) once the operation has succeeded, with an
 * `X-Cognate-Signature: sha256=<hex>` header, the HMAC-SHA256 of the exact
 * body under smsWebhookSecret, so the receiver can tell it came from Cognate.
 * The body (it holds a code) is never logged. Returns false when no webhook
 * is configured.
 */
export function queueSms(ctx: Context, sms: { poolId: string; to: string; message: string }): boolean {
  const url = ctx.config.smsWebhookUrl;
  if (!url) return false;
  const secret = ctx.config.smsWebhookSecret;
  ctx.afterSuccess.push(async () => {
    const body = JSON.stringify({ poolId: sms.poolId, to: sms.to, message: sms.message });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret) headers['x-cognate-signature'] = `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`SMS webhook answered ${res.status}`);
  });
  return true;
}
