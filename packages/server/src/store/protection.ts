import type { Kysely } from 'kysely';
import type { CacheScope } from './read-cache.ts';
import type { IpRuleRow, Tables } from './tables.ts';

/** IP rules of pools and app clients, and the rate-limit counters (migration 015). */
export class ProtectionStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly cache: CacheScope,
  ) {}

  /**
   * Whether any pool or client has IP rules, through the read cache
   * (read-cache.ts) so that installations without rules pay no lookup per
   * request. A rule set through this node counts at once; one set on
   * another node within READ_CACHE_TTL_MS (as a web ACL takes seconds to
   * propagate in Cognito).
   */
  anyIpRules(): Promise<boolean> {
    return this.cache.read('ip-rules:any', async () => (await this.db.selectFrom('ip_rules').select('target_id').limit(1).executeTakeFirst()) !== undefined);
  }

  /** The rules of these targets (pool and client IDs) that have any. */
  async ipRules(targets: readonly string[]): Promise<IpRuleRow[]> {
    if (targets.length === 0) return [];
    return this.db.selectFrom('ip_rules').selectAll().where('target_id', 'in', targets).execute();
  }

  async setIpRules(row: IpRuleRow): Promise<void> {
    await this.cache.writing(() =>
      this.db
        .insertInto('ip_rules')
        .values(row)
        .onConflict((oc) => oc.column('target_id').doUpdateSet({ allow_cidrs: row.allow_cidrs, deny_cidrs: row.deny_cidrs, updated_at: row.updated_at }))
        .execute(),
    );
  }

  async deleteIpRules(target: string): Promise<void> {
    await this.cache.writing(() => this.db.deleteFrom('ip_rules').where('target_id', '=', target).execute());
  }

  /** The pool an app client belongs to, or null for an unknown client. */
  async poolOfClient(clientId: string): Promise<string | null> {
    const row = await this.db.selectFrom('user_pool_clients').select('pool_id').where('client_id', '=', clientId).executeTakeFirst();
    return row?.pool_id ?? null;
  }

  /**
   * Counts one request against each key in a fixed window and returns every
   * key's count including it. One statement for all keys: one round trip
   * (and on SQLite one commit) per request, and concurrent requests on any
   * node each see their own count.
   */
  async hit(keys: readonly string[], windowMs: number, now: number): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db
      .insertInto('rate_counters')
      .values(keys.map((key) => ({ key, window_start: now, count: 1 })))
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          window_start: eb
            .case()
            .when('rate_counters.window_start', '<=', now - windowMs)
            .then(now)
            .else(eb.ref('rate_counters.window_start'))
            .end(),
          count: eb
            .case()
            .when('rate_counters.window_start', '<=', now - windowMs)
            .then(1)
            .else(eb('rate_counters.count', '+', 1))
            .end(),
        })),
      )
      .returning(['key', 'count'])
      .execute();
    return new Map(rows.map((r) => [r.key, Number(r.count)]));
  }

  /** Drops counters whose window ended before `before`: they would restart at 1 anyway. */
  async purgeCounters(before: number): Promise<void> {
    await this.db.deleteFrom('rate_counters').where('window_start', '<', before).execute();
  }
}
