import type { Kysely } from 'kysely';
import type { PoolDomainRecord } from '../domain/oauth-config.ts';
import type { Tables, UserPoolDomainRow } from './tables.ts';

const toDomain = (r: UserPoolDomainRow): PoolDomainRecord => ({
  domain: r.domain,
  poolId: r.pool_id,
  custom: Number(r.custom) === 1,
  managedLoginVersion: Number(r.managed_login_version),
  certificateArn: r.certificate_arn,
  securityPolicy: r.security_policy,
  cloudFrontDistribution: r.cloudfront_distribution,
  version: r.version,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/**
 * User-pool domains (migration 021). Names are global and compared
 * lower-case; a pool has at most one prefix and one custom domain. Rows go
 * with their pool (ON DELETE CASCADE).
 */
export class DomainStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async byName(domain: string): Promise<PoolDomainRecord | null> {
    const row = await this.db.selectFrom('user_pool_domains').selectAll().where('domain', '=', domain.toLowerCase()).executeTakeFirst();
    return row ? toDomain(row) : null;
  }

  /** The pool's domains, prefix domain first. */
  async forPool(poolId: string): Promise<PoolDomainRecord[]> {
    const rows = await this.db.selectFrom('user_pool_domains').selectAll().where('pool_id', '=', poolId).orderBy('custom').execute();
    return rows.map(toDomain);
  }

  /** False when the name is taken or the pool already has a domain of that kind (nothing is then written). */
  async insert(d: PoolDomainRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('user_pool_domains')
      .values({
        domain: d.domain.toLowerCase(),
        pool_id: d.poolId,
        custom: d.custom ? 1 : 0,
        managed_login_version: d.managedLoginVersion,
        certificate_arn: d.certificateArn,
        security_policy: d.securityPolicy,
        cloudfront_distribution: d.cloudFrontDistribution,
        version: d.version,
        created_at: d.createdAt,
        updated_at: d.updatedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Managed-login version and certificate replace the stored ones (UpdateUserPoolDomain). */
  async update(d: PoolDomainRecord): Promise<void> {
    await this.db
      .updateTable('user_pool_domains')
      .set({
        managed_login_version: d.managedLoginVersion,
        certificate_arn: d.certificateArn,
        security_policy: d.securityPolicy,
        version: d.version,
        updated_at: d.updatedAt,
      })
      .where('domain', '=', d.domain.toLowerCase())
      .execute();
  }

  async delete(domain: string): Promise<void> {
    await this.db.deleteFrom('user_pool_domains').where('domain', '=', domain.toLowerCase()).execute();
  }
}
