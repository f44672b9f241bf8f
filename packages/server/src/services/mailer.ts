import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { MasterKey } from '../crypto/master-key.ts';
import type { Store } from '../store/store.ts';
import type { OutboxRow } from '../store/tables.ts';
import type { Clock } from './clock.ts';
import type { Ids } from './ids.ts';

export interface Mail {
  poolId: string | null;
  to: string;
  from?: string | undefined;
  subject: string;
  body: string;
}

export interface OutboxMessage extends Omit<Mail, 'from'> {
  id: string;
  createdAt: number;
  deliveredAt: number | null;
  error: string | null;
}

// Mail is written to the outbox inside the operation's transaction (so a
// failed operation sends nothing), and handed to SMTP after it commits.
// Whoever delivers first claims the message, so it goes out once; mail a
// killed process committed but never sent (or died sending) is picked up by
// `resumeInterrupted`: at start and every minute, any process sends what is
// unclaimed, or claimed longer than CLAIM_LEASE_MS ago, and younger than a day.
// Bodies carry codes and temporary passwords: they are sealed at rest and
// never logged.
export class Mailer {
  private readonly transport: Transporter | null;
  private resumeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { store: Store; master: MasterKey; clock: Clock; ids: Ids; log: FastifyBaseLogger; smtpUrl: string | null; defaultFrom: string },
  ) {
    this.transport = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : null;
  }

  /** Queues a message in `store`'s transaction and returns its ID, to pass to `deliver` after commit. */
  async enqueue(store: Store, mail: Mail): Promise<string> {
    const id = this.deps.ids.uuid();
    const envelope = JSON.stringify({ from: mail.from ?? this.deps.defaultFrom, body: mail.body });
    await store.outbox.insert({
      id,
      pool_id: mail.poolId,
      recipient: mail.to,
      subject: mail.subject,
      body_sealed: this.deps.master.seal('outbox', id, envelope),
      created_at: this.deps.clock.now(),
      delivered_at: null,
      error: null,
      attempted_at: null,
    });
    return id;
  }

  async deliver(id: string): Promise<void> {
    if (!this.transport) return;
    const [row] = (await this.deps.store.outbox.recent({ limit: 1, id })) as OutboxRow[];
    if (!row || row.delivered_at !== null) return;
    const now = this.deps.clock.now();
    if (!(await this.deps.store.outbox.claim(id, now, now - CLAIM_LEASE_MS))) return;
    const { from, body } = JSON.parse(this.deps.master.open('outbox', row.id, row.body_sealed).toString('utf8')) as { from: string; body: string };
    try {
      await this.transport.sendMail({ from, to: row.recipient, subject: row.subject, text: body, html: `<p>${escapeHtml(body)}</p>` });
      await this.deps.store.outbox.markDelivered(id, this.deps.clock.now(), null);
    } catch (err) {
      this.deps.log.warn({ outboxId: id, err: (err as Error).message }, 'mail delivery failed');
      await this.deps.store.outbox.markDelivered(id, this.deps.clock.now(), (err as Error).message.slice(0, 500));
    }
  }

  async recent(opts: { to?: string; poolId?: string; limit: number }): Promise<OutboxMessage[]> {
    const rows = await this.deps.store.outbox.recent(opts);
    return rows.map((r) => {
      const { body } = JSON.parse(this.deps.master.open('outbox', r.id, r.body_sealed).toString('utf8')) as { body: string };
      return {
        id: r.id,
        poolId: r.pool_id,
        to: r.recipient,
        subject: r.subject,
        body,
        createdAt: Number(r.created_at),
        deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
        error: r.error,
      };
    });
  }

  /** Runs `resendInterrupted` now and every minute until `close` (no-op without SMTP). */
  resumeInterrupted(): void {
    if (!this.transport || this.resumeTimer) return;
    const run = () => void this.resendInterrupted().catch((err: Error) => this.deps.log.warn({ err: err.message }, 'resending interrupted mail failed'));
    this.resumeTimer = setInterval(run, 60_000).unref();
    run();
  }

  /**
   * Delivers mail committed but never sent: unclaimed (the process died
   * between commit and delivery) or claimed more than CLAIM_LEASE_MS ago (it
   * died while sending; such a message may arrive twice). At most 100 a run.
   */
  async resendInterrupted(): Promise<void> {
    if (!this.transport) return;
    const now = this.deps.clock.now();
    for (const id of await this.deps.store.outbox.pending(now - RESUME_WINDOW_MS, now - CLAIM_LEASE_MS, 100)) await this.deliver(id);
  }

  close(): void {
    if (this.resumeTimer) clearInterval(this.resumeTimer);
    this.transport?.close();
  }
}

/** A delivery claimed this long ago and not finished is taken to have died with its process. */
const CLAIM_LEASE_MS = 5 * 60_000;
/** Older undelivered mail is not sent late: its codes have expired (they live a day at most); a temporary password can be resent. */
const RESUME_WINDOW_MS = 24 * 3600_000;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Fills a Cognito message template: `{####}` is the code or temporary password, `{username}` the user name. */
export function renderTemplate(template: string, values: { code: string; username?: string }): string {
  return template
    .split('{####}')
    .join(values.code)
    .split('{username}')
    .join(values.username ?? '');
}
