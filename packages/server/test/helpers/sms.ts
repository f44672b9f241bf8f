import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A pool's SmsConfiguration: required before SMS can be turned on; Cognate sends through the webhook instead. */
export const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sms', ExternalId: 'x' };

/** A webhook receiver standing in for the operator's SMS gateway (config smsWebhookUrl). */
export interface SmsWebhook {
  url: string;
  /** The six-digit code in the next SMS to `to`; with a secret, asserts the call was signed with it. */
  nextSms(to: string, ms?: number): Promise<string>;
  /** The whole text of the next SMS to `to`. */
  nextMessage(to: string, ms?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startSmsWebhook(secret?: string): Promise<SmsWebhook> {
  const received: { to: string; message: string; signatureOk: boolean }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = secret === undefined ? undefined : `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const { to, message } = JSON.parse(body) as { to: string; message: string };
      received.push({ to, message, signatureOk: expected === undefined || req.headers['x-cognate-signature'] === expected });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const nextMessage = async (to: string, ms = 5000): Promise<string> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = received.findIndex((s) => s.to === to);
      if (i >= 0) {
        const [sms] = received.splice(i, 1);
        if (secret !== undefined) assert.ok(sms!.signatureOk, 'the webhook call carries a valid HMAC-SHA256 signature');
        return sms!.message;
      }
      if (Date.now() > deadline) throw new Error(`no SMS to ${to}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    nextSms: async (to, ms = 5000) => /\b(\d{6})\b/.exec(await nextMessage(to, ms))![1]!,
    nextMessage,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
