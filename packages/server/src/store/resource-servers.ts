import type { Kysely } from 'kysely';
import type { ResourceServer, ResourceServerScope } from '../domain/oauth-config.ts';
import type { ResourceServerRow, Tables } from './tables.ts';

const toServer = (r: ResourceServerRow): ResourceServer => ({
  poolId: r.pool_id,
  identifier: r.identifier,
  name: r.name,
  scopes: JSON.parse(r.scopes) as ResourceServerScope[],
});

/** Resource servers and their custom scopes, keyed by (pool, identifier); identifiers compare exactly. Rows go with their pool. */
export class ResourceServerStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Every resource server of the pool in identifier order, or a page of them after `afterIdentifier`. */
  async list(poolId: string, limit?: number, afterIdentifier?: string | null): Promise<ResourceServer[]> {
    let q = this.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId);
    if (afterIdentifier) q = q.where('identifier', '>', afterIdentifier);
    q = q.orderBy('identifier');
    if (limit !== undefined) q = q.limit(limit);
    return (await q.execute()).map(toServer);
  }

  async get(poolId: string, identifier: string): Promise<ResourceServer | null> {
    const row = await this.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).where('identifier', '=', identifier).executeTakeFirst();
    return row ? toServer(row) : null;
  }

  /** False when the pool already has a server with this identifier (nothing is then written). */
  async insert(server: ResourceServer, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('resource_servers')
      .values({
        pool_id: server.poolId,
        identifier: server.identifier,
        name: server.name,
        scopes: JSON.stringify(server.scopes),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['pool_id', 'identifier']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async update(server: ResourceServer, now: number): Promise<void> {
    await this.db
      .updateTable('resource_servers')
      .set({ name: server.name, scopes: JSON.stringify(server.scopes), updated_at: now })
      .where('pool_id', '=', server.poolId)
      .where('identifier', '=', server.identifier)
      .execute();
  }

  async delete(poolId: string, identifier: string): Promise<void> {
    await this.db.deleteFrom('resource_servers').where('pool_id', '=', poolId).where('identifier', '=', identifier).execute();
  }
}
