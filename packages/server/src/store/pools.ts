import type { Kysely } from 'kysely';
import type { AppClient, ClientSettings } from '../domain/client-settings.ts';
import type { Pool, PoolSettings } from '../domain/pool-settings.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import type { AccessKeyRow, SigningKeyRow, Tables, UserPoolClientRow, UserPoolRow } from './tables.ts';

const toPool = (r: UserPoolRow): Pool => ({
  id: r.id,
  name: r.name,
  settings: JSON.parse(r.settings) as PoolSettings,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** Pools, app clients, signing keys and operator access keys. Client secrets are sealed at rest. */
export class PoolStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly master: MasterKey,
  ) {}

  async insertPool(pool: Pool): Promise<void> {
    await this.db
      .insertInto('user_pools')
      .values({ id: pool.id, name: pool.name, settings: JSON.stringify(pool.settings), created_at: pool.createdAt, updated_at: pool.updatedAt })
      .execute();
  }

  async pool(id: string): Promise<Pool | null> {
    const row = await this.db.selectFrom('user_pools').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPool(row) : null;
  }

  /** Pools in ID order after `afterId`. */
  async listPools(limit: number, afterId: string | null): Promise<Pool[]> {
    let q = this.db.selectFrom('user_pools').selectAll();
    if (afterId !== null) q = q.where('id', '>', afterId);
    return (await q.orderBy('id').limit(limit).execute()).map(toPool);
  }

  async insertClient(client: AppClient): Promise<void> {
    await this.db
      .insertInto('user_pool_clients')
      .values({
        client_id: client.clientId,
        pool_id: client.poolId,
        name: client.name,
        secret_sealed: client.secret === null ? null : this.master.seal('client-secret', client.clientId, client.secret),
        settings: JSON.stringify(client.settings),
        created_at: client.createdAt,
        updated_at: client.updatedAt,
      })
      .execute();
  }

  async client(clientId: string): Promise<AppClient | null> {
    const row = await this.db.selectFrom('user_pool_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row ? this.toClient(row) : null;
  }

  async listClients(poolId: string, limit: number, afterId: string | null): Promise<AppClient[]> {
    let q = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId);
    if (afterId !== null) q = q.where('client_id', '>', afterId);
    return (await q.orderBy('client_id').limit(limit).execute()).map((r) => this.toClient(r));
  }

  private toClient(r: UserPoolClientRow): AppClient {
    return {
      clientId: r.client_id,
      poolId: r.pool_id,
      name: r.name,
      secret: r.secret_sealed === null ? null : this.master.open('client-secret', r.client_id, r.secret_sealed).toString('utf8'),
      settings: JSON.parse(r.settings) as ClientSettings,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  async insertSigningKey(row: SigningKeyRow): Promise<void> {
    await this.db.insertInto('signing_keys').values(row).execute();
  }

  /** All of a pool's keys, newest first: the active ones sign, all are published. */
  async signingKeys(poolId: string): Promise<SigningKeyRow[]> {
    return this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).orderBy('created_at', 'desc').execute();
  }

  async signingKey(kid: string): Promise<SigningKeyRow | null> {
    return (await this.db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst()) ?? null;
  }

  async insertAccessKey(row: AccessKeyRow): Promise<void> {
    await this.db.insertInto('access_keys').values(row).execute();
  }

  async accessKey(id: string): Promise<AccessKeyRow | null> {
    return (await this.db.selectFrom('access_keys').selectAll().where('access_key_id', '=', id).executeTakeFirst()) ?? null;
  }

  async countAccessKeys(): Promise<number> {
    const row = await this.db.selectFrom('access_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
