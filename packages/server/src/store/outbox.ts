import type { Kysely } from 'kysely';
import type { OutboxRow, Tables } from './tables.ts';

/** Outgoing mail. Bodies carry codes and temporary passwords, so they are sealed at rest. */
export class OutboxStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(row: OutboxRow): Promise<void> {
    await this.db.insertInto('outbox').values(row).execute();
  }

  /**
   * Claims an undelivered message for delivery: true for exactly one caller
   * among concurrent ones; a claim older than `staleBefore` (its process died
   * mid-delivery) can be taken over.
   */
  async claim(id: string, now: number, staleBefore: number): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({ attempted_at: now })
      .where('id', '=', id)
      .where('delivered_at', 'is', null)
      .where((eb) => eb.or([eb('attempted_at', 'is', null), eb('attempted_at', '<', staleBefore)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Mail (not SMS) created since `createdAfter` that no delivery has finished or failed, unclaimed or with a stale claim. */
  async pending(createdAfter: number, staleBefore: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select('id')
      .where('delivered_at', 'is', null)
      .where('error', 'is', null)
      .where('recipient', 'like', '%@%')
      .where('created_at', '>=', createdAfter)
      .where((eb) => eb.or([eb('attempted_at', 'is', null), eb('attempted_at', '<', staleBefore)]))
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
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
