import type { Kysely } from 'kysely';
import { ALL_CLIENTS, type UiCustomization } from '../domain/oauth-config.ts';
import type { Tables, UiCustomizationRow } from './tables.ts';

const toCustomization = (r: UiCustomizationRow): UiCustomization => ({
  poolId: r.pool_id,
  clientId: r.client_id,
  css: r.css,
  imageFile: r.image_file === null ? null : Buffer.from(r.image_file, 'base64'),
  imageType: r.image_type,
  lastModified: Number(r.updated_at),
  creationDate: Number(r.created_at),
});

/**
 * Classic hosted-UI customization (SetUICustomization): one row per client
 * plus the pool's 'ALL' row. Images are kept as base64 text so one column
 * type serves SQLite and PostgreSQL. A client's row goes with the client
 * (PoolStore.deleteClient sweeps client_id), every row with the pool.
 */
export class UiCustomizationStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** The client's own customization, else the pool's 'ALL' one, else null. */
  async get(poolId: string, clientId: string): Promise<UiCustomization | null> {
    const rows = await this.db
      .selectFrom('ui_customizations')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', 'in', clientId === ALL_CLIENTS ? [ALL_CLIENTS] : [clientId, ALL_CLIENTS])
      .execute();
    const row = rows.find((r) => r.client_id === clientId) ?? rows.find((r) => r.client_id === ALL_CLIENTS);
    return row ? toCustomization(row) : null;
  }

  /** Exactly the row stored for this client (or 'ALL'), without falling back. */
  async own(poolId: string, clientId: string): Promise<UiCustomization | null> {
    const row = await this.db.selectFrom('ui_customizations').selectAll().where('pool_id', '=', poolId).where('client_id', '=', clientId).executeTakeFirst();
    return row ? toCustomization(row) : null;
  }

  /** Replaces the row; creationDate kept from the existing row when there is one. */
  async put(c: UiCustomization): Promise<void> {
    const values = {
      css: c.css,
      image_file: c.imageFile === null ? null : c.imageFile.toString('base64'),
      image_type: c.imageType,
      updated_at: c.lastModified,
    };
    await this.db
      .insertInto('ui_customizations')
      .values({ pool_id: c.poolId, client_id: c.clientId, ...values, created_at: c.creationDate })
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doUpdateSet(values))
      .execute();
  }
}
