import type { Kysely } from 'kysely';
import type { DataKeyRow, Tables } from './tables.ts';

/** The wrapped data keys (migration 016), oldest first. */
export class DataKeyStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async all(): Promise<DataKeyRow[]> {
    return this.db.selectFrom('data_keys').selectAll().orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  }

  /** Inserts a data key unless one with its id exists: nodes starting together on an empty database agree on the first. */
  async insertIfAbsent(row: DataKeyRow): Promise<void> {
    await this.db
      .insertInto('data_keys')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async rewrap(id: string, wrapped: string, masterKeyId: string, now: number): Promise<void> {
    await this.db.updateTable('data_keys').set({ wrapped, master_key_id: masterKeyId, rewrapped_at: now }).where('id', '=', id).execute();
  }
}
