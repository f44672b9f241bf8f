import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server on a free loopback port that keeps what it receives. */
export class Inbox {
  readonly messages: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks).toString('utf8') });
          for (const w of this.waiters.splice(0)) w();
          callback();
        });
      },
    });
  }

  async start(): Promise<this> {
    // A sender killed mid-session (test/durability.test.ts) resets its connection: not a test failure.
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The newest message to `address` received after `afterCount` messages for it, waiting up to `ms`. */
  async next(address: string, afterCount: number, ms = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + ms;
    for (;;) {
      const mine = this.messages.filter((m) => m.to.includes(address.toLowerCase()));
      if (mine.length > afterCount) return mine[afterCount]!;
      if (Date.now() > deadline) throw new Error(`No mail for ${address} within ${ms} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  count(address: string): number {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase())).length;
  }

  /** Waits for the next message to `address` and returns the six-digit code (or temporary password line) in it. */
  async nextCode(address: string): Promise<string> {
    const mail = await this.next(address, this.seen(address));
    this.markSeen(address);
    const m = /\b(\d{6})\b/.exec(bodyOf(mail.raw));
    if (!m) throw new Error(`No code in mail to ${address}`);
    return m[1]!;
  }

  private seenCounts = new Map<string, number>();
  private seen(address: string): number {
    return this.seenCounts.get(address.toLowerCase()) ?? 0;
  }
  private markSeen(address: string): void {
    this.seenCounts.set(address.toLowerCase(), this.seen(address) + 1);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The text after the headers, quoted-printable decoded (soft breaks joined, =XX bytes restored). */
export function bodyOf(raw: string): string {
  const i = raw.indexOf('\r\n\r\n');
  const qp = (i >= 0 ? raw.slice(i + 4) : raw).replace(/=\r?\n/g, '');
  return qp.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
