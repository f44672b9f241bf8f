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
// Bodies carry codes and temporary passwords: they are sealed at rest and
// never logged.
export class Mailer {
  private readonly transport: Transporter | null;

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
    });
    return id;
  }

  async deliver(id: string): Promise<void> {
    if (!this.transport) return;
    const [row] = (await this.deps.store.outbox.recent({ limit: 1, id })) as OutboxRow[];
    if (!row || row.delivered_at !== null) return;
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
      return { id: r.id, poolId: r.pool_id, to: r.recipient, subject: r.subject, body, createdAt: Number(r.created_at), deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at), error: r.error };
    });
  }

  close(): void {
    this.transport?.close();
  }
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Fills a Cognito message template: `{####}` is the code or temporary password, `{username}` the user name. */
export function renderTemplate(template: string, values: { code: string; username?: string }): string {
  return template.split('{####}').join(values.code).split('{username}').join(values.username ?? '');
}
