import type { Kysely } from 'kysely';
import type { OutboxRow, Tables } from './tables.ts';

/** Outgoing mail. Bodies carry codes and temporary passwords, so they are sealed at rest. */
export class OutboxStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(row: OutboxRow): Promise<void> {
    await this.db.insertInto('outbox').values(row).execute();
  }

  async markDelivered(id: string, now: number, error: string | null): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set(error === null ? { delivered_at: now, error: null } : { error })
      .where('id', '=', id)
      .execute();
  }

  async recent(opts: { to?: string; poolId?: string; id?: string; limit: number }): Promise<OutboxRow[]> {
    let q = this.db.selectFrom('outbox').selectAll();
    if (opts.id) q = q.where('id', '=', opts.id);
    if (opts.to) q = q.where('recipient', '=', opts.to);
    if (opts.poolId) q = q.where('pool_id', '=', opts.poolId);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
  }
}
