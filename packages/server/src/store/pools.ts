import { sql, type Kysely } from 'kysely';
import type { AppClient, ClientSecret, ClientSettings } from '../domain/client-settings.ts';
import type { Pool, PoolSettings } from '../domain/pool-settings.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import type { CacheScope } from './read-cache.ts';
import type { AccessKeyRow, ClientSecretRow, SigningKeyRow, Tables, UserPoolClientRow, UserPoolRow } from './tables.ts';
import { tablesWithColumn } from './catalog.ts';

const toPool = (r: UserPoolRow): Pool => ({
  id: r.id,
  name: r.name,
  settings: JSON.parse(r.settings) as PoolSettings,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/**
 * Pools, app clients, signing keys and operator access keys. Client secrets
 * are sealed at rest. Pools, clients and signing keys are read through the
 * node's read cache (read-cache.ts); every write here empties it.
 */
export class PoolStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly master: MasterKey,
    private readonly cache: CacheScope,
  ) {}

  async insertPool(pool: Pool): Promise<void> {
    await this.cache.writing(async () => {
      await this.db
        .insertInto('user_pools')
        .values({ id: pool.id, name: pool.name, settings: JSON.stringify(pool.settings), created_at: pool.createdAt, updated_at: pool.updatedAt })
        .execute();
    });
  }

  pool(id: string): Promise<Pool | null> {
    return this.cache.read(`pool:${id}`, async () => {
      const row = await this.db.selectFrom('user_pools').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toPool(row) : null;
    });
  }

  /** Name and settings replace the stored ones (UpdateUserPool, AddCustomAttributes, tags, MFA). */
  async updatePool(pool: Pool): Promise<void> {
    await this.cache.writing(async () => {
      await this.db
        .updateTable('user_pools')
        .set({ name: pool.name, settings: JSON.stringify(pool.settings), updated_at: pool.updatedAt })
        .where('id', '=', pool.id)
        .execute();
    });
  }

  /**
   * Removes a pool and everything of it. Run inside a transaction. Most rows
   * go by ON DELETE CASCADE (clients, keys, users and all that hangs off a
   * user); rows kept by pool ID without a foreign key (challenge sessions,
   * queued mail, and whatever later features add) are swept by column name,
   * so a new table with a `pool_id` column cannot be forgotten here.
   */
  async deletePool(poolId: string): Promise<void> {
    await this.cache.writing(async () => {
      await this.db.deleteFrom('user_pools').where('id', '=', poolId).execute();
      await this.sweep('pool_id', poolId);
    });
  }

  /** Removes an app client, its secrets (cascade), its token families, open challenges and anything else kept by client ID. */
  async deleteClient(clientId: string): Promise<void> {
    await this.cache.writing(async () => {
      await this.db.deleteFrom('user_pool_clients').where('client_id', '=', clientId).execute();
      await this.sweep('client_id', clientId);
    });
  }

  private async sweep(column: 'pool_id' | 'client_id', value: string): Promise<void> {
    for (const table of await tablesWithColumn(this.db, column)) {
      await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${value}`.execute(this.db);
    }
  }

  /** Pools in ID order after `afterId`. */
  /** Pools in ID order after `afterId`; with `region`, that region's only (the IDs that start `<region>_`). */
  async listPools(limit: number, afterId: string | null, region?: string): Promise<Pool[]> {
    let q = this.db.selectFrom('user_pools').selectAll();
    if (afterId !== null) q = q.where('id', '>', afterId);
    // substr, not LIKE: `_` is a LIKE wildcard, and substr reads the same on SQLite and PostgreSQL.
    if (region !== undefined) q = q.where(sql<string>`substr(id, 1, ${sql.lit(region.length + 1)})`, '=', `${region}_`);
    return (await q.orderBy('id').limit(limit).execute()).map(toPool);
  }

  async insertClient(client: AppClient): Promise<void> {
    await this.cache.writing(async () => {
      await this.db
        .insertInto('user_pool_clients')
        .values({
          client_id: client.clientId,
          pool_id: client.poolId,
          name: client.name,
          // Secrets live in client_secrets (migration 009); this column is no longer read.
          secret_sealed: null,
          settings: JSON.stringify(client.settings),
          created_at: client.createdAt,
          updated_at: client.updatedAt,
        })
        .execute();
      for (const secret of client.secrets) await this.insertClientSecret(client.clientId, secret);
    });
  }

  /** Name and settings replace the stored ones (UpdateUserPoolClient); secrets are kept apart. */
  async updateClient(client: AppClient): Promise<void> {
    await this.cache.writing(async () => {
      await this.db
        .updateTable('user_pool_clients')
        .set({ name: client.name, settings: JSON.stringify(client.settings), updated_at: client.updatedAt })
        .where('client_id', '=', client.clientId)
        .execute();
    });
  }

  async insertClientSecret(clientId: string, secret: ClientSecret): Promise<void> {
    await this.cache.writing(async () => {
      await this.db
        .insertInto('client_secrets')
        .values({
          secret_id: secret.id,
          client_id: clientId,
          secret_sealed: this.master.seal('client-secret', clientId, secret.value),
          created_at: secret.createdAt,
        })
        .execute();
    });
  }

  async deleteClientSecret(clientId: string, secretId: string): Promise<void> {
    await this.cache.writing(async () => {
      await this.db.deleteFrom('client_secrets').where('client_id', '=', clientId).where('secret_id', '=', secretId).execute();
    });
  }

  client(clientId: string): Promise<AppClient | null> {
    return this.cache.read(`client:${clientId}`, async () => {
      const row = await this.db.selectFrom('user_pool_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row ? (await this.withSecrets([row]))[0]! : null;
    });
  }

  async listClients(poolId: string, limit: number, afterId: string | null): Promise<AppClient[]> {
    let q = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId);
    if (afterId !== null) q = q.where('client_id', '>', afterId);
    return this.withSecrets(await q.orderBy('client_id').limit(limit).execute());
  }

  private async withSecrets(rows: UserPoolClientRow[]): Promise<AppClient[]> {
    if (!rows.length) return [];
    const secretRows = await this.db
      .selectFrom('client_secrets')
      .selectAll()
      .where(
        'client_id',
        'in',
        rows.map((r) => r.client_id),
      )
      .orderBy('created_at')
      .orderBy('secret_id')
      .execute();
    return rows.map((r) =>
      this.toClient(
        r,
        secretRows.filter((s) => s.client_id === r.client_id),
      ),
    );
  }

  private toClient(r: UserPoolClientRow, secretRows: ClientSecretRow[]): AppClient {
    const secrets = secretRows.map((s) => ({
      id: s.secret_id,
      value: this.master.open('client-secret', r.client_id, s.secret_sealed).toString('utf8'),
      createdAt: Number(s.created_at),
    }));
    return {
      clientId: r.client_id,
      poolId: r.pool_id,
      name: r.name,
      secret: secrets[0]?.value ?? null,
      secrets,
      settings: JSON.parse(r.settings) as ClientSettings,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  async insertSigningKey(row: SigningKeyRow): Promise<void> {
    await this.cache.writing(async () => {
      await this.db.insertInto('signing_keys').values(row).execute();
    });
  }

  /** All of a pool's keys, newest first: the active ones sign, all are published. */
  signingKeys(poolId: string): Promise<readonly SigningKeyRow[]> {
    // kid breaks ties, so every node (and both databases) picks the same signing key.
    return this.cache.read(`signing-keys:${poolId}`, () =>
      this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).orderBy('created_at', 'desc').orderBy('kid', 'desc').execute(),
    );
  }

  signingKey(kid: string): Promise<SigningKeyRow | null> {
    return this.cache.read(
      `signing-key:${kid}`,
      async () => (await this.db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst()) ?? null,
    );
  }

  async insertAccessKey(row: AccessKeyRow): Promise<void> {
    await this.db.insertInto('access_keys').values(row).execute();
  }

  async countAccessKeys(): Promise<number> {
    const row = await this.db
      .selectFrom('access_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
