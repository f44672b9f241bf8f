import type { Kysely } from 'kysely';
import type { BrandingAsset, ManagedLoginBranding } from '../domain/oauth-config.ts';
import type { ManagedLoginBrandingRow, Tables } from './tables.ts';

const toBranding = (r: ManagedLoginBrandingRow): ManagedLoginBranding => ({
  id: r.branding_id,
  poolId: r.pool_id,
  clientId: r.client_id,
  useCognitoProvidedValues: Number(r.use_cognito_provided_values) === 1,
  settings: r.settings === null ? null : (JSON.parse(r.settings) as Record<string, unknown>),
  assets: JSON.parse(r.assets) as BrandingAsset[],
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** Managed-login branding styles, one per app client; a style goes with its client (client_id sweep) and its pool (cascade). */
export class ManagedLoginBrandingStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async get(poolId: string, brandingId: string): Promise<ManagedLoginBranding | null> {
    const row = await this.db
      .selectFrom('managed_login_brandings')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('branding_id', '=', brandingId.toLowerCase())
      .executeTakeFirst();
    return row ? toBranding(row) : null;
  }

  async forClient(poolId: string, clientId: string): Promise<ManagedLoginBranding | null> {
    const row = await this.db
      .selectFrom('managed_login_brandings')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row ? toBranding(row) : null;
  }

  /** False when the client already has a style (nothing is then written). */
  async insert(b: ManagedLoginBranding): Promise<boolean> {
    const result = await this.db
      .insertInto('managed_login_brandings')
      .values({
        branding_id: b.id,
        pool_id: b.poolId,
        client_id: b.clientId,
        use_cognito_provided_values: b.useCognitoProvidedValues ? 1 : 0,
        settings: b.settings === null ? null : JSON.stringify(b.settings),
        assets: JSON.stringify(b.assets),
        created_at: b.createdAt,
        updated_at: b.updatedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async update(b: ManagedLoginBranding): Promise<void> {
    await this.db
      .updateTable('managed_login_brandings')
      .set({
        use_cognito_provided_values: b.useCognitoProvidedValues ? 1 : 0,
        settings: b.settings === null ? null : JSON.stringify(b.settings),
        assets: JSON.stringify(b.assets),
        updated_at: b.updatedAt,
      })
      .where('branding_id', '=', b.id)
      .execute();
  }

  async delete(brandingId: string): Promise<void> {
    await this.db.deleteFrom('managed_login_brandings').where('branding_id', '=', brandingId).execute();
  }
}
