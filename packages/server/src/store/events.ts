import { sql, type Kysely } from 'kysely';
import type { AuthEventRow, RiskConfigurationRow, Tables } from './tables.ts';

/**
 * How many auth events are kept per user: the newest 100. Older ones are
 * dropped as new ones arrive, so a user under a password-guessing attack
 * cannot grow the table without bound.
 */
export const AUTH_EVENTS_PER_USER = 100;

/**
 * A position in a user's history: (seq, event_id). `seq` is max+1 at insert,
 * so two appends racing on PostgreSQL (READ COMMITTED) can share one; the
 * unique event_id breaks the tie, so the order stays total and a page never
 * repeats or skips an event. `eventId` is absent in tokens made before it was.
 */
export interface AuthEventPageCursor {
  seq: number;
  eventId?: string;
}

/**
 * Per-user auth event history (AdminListUserAuthEvents), the legacy MFA
 * options of SetUserSettings, and the stored risk configurations: the state
 * of the auth-events slice of the API.
 */
export class AuthEventStore {
  constructor(protected readonly db: Kysely<Tables>) {}

  /**
   * Appends an event with the user's next sequence number and drops the ones
   * beyond the retention bound. Nothing is written for a user who no longer
   * exists (a SignUp whose transaction rolled back, a deleted user).
   */
  async append(row: Omit<AuthEventRow, 'seq' | 'feedback_value' | 'feedback_provider' | 'feedback_at'>): Promise<boolean> {
    const inserted = await this.db
      .insertInto('auth_events')
      .columns(['event_id', 'pool_id', 'sub', 'seq', 'event_type', 'event_response', 'challenge_responses', 'ip_address', 'device_name', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('users')
          .select([
            sql.val(row.event_id).as('event_id'),
            sql.val(row.pool_id).as('pool_id'),
            'users.sub',
            sql<number>`coalesce((select max(e.seq) from auth_events e where e.sub = users.sub), 0) + 1`.as('seq'),
            sql.val(row.event_type).as('event_type'),
            sql.val(row.event_response).as('event_response'),
            sql.val(row.challenge_responses).as('challenge_responses'),
            sql.val(row.ip_address).as('ip_address'),
            sql.val(row.device_name).as('device_name'),
            sql.val(row.created_at).as('created_at'),
          ])
          .where('users.sub', '=', row.sub)
          .where('users.pool_id', '=', row.pool_id),
      )
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    await this.db
      .deleteFrom('auth_events')
      .where('sub', '=', row.sub)
      .where('seq', '<=', (eb) =>
        eb.selectFrom('auth_events as e').select(sql<number>`max(e.seq) - ${AUTH_EVENTS_PER_USER}`.as('cut')).where('e.sub', '=', row.sub),
      )
      .execute();
    return true;
  }

  /** One page of a user's events, newest first (seq, then event_id, both descending). */
  async list(sub: string, limit: number, after: AuthEventPageCursor | null): Promise<AuthEventRow[]> {
    let q = this.db.selectFrom('auth_events').selectAll().where('sub', '=', sub);
    if (after) {
      const { seq, eventId } = after;
      q =
        eventId === undefined
          ? q.where('seq', '<', seq)
          : q.where((eb) => eb.or([eb('seq', '<', seq), eb.and([eb('seq', '=', seq), eb('event_id', '<', eventId)])]));
    }
    return q.orderBy('seq', 'desc').orderBy('event_id', 'desc').limit(limit).execute();
  }

  async event(sub: string, eventId: string): Promise<AuthEventRow | null> {
    return (await this.db.selectFrom('auth_events').selectAll().where('sub', '=', sub).where('event_id', '=', eventId).executeTakeFirst()) ?? null;
  }

  async setFeedback(eventId: string, value: string, provider: string, at: number): Promise<void> {
    await this.db
      .updateTable('auth_events')
      .set({ feedback_value: value, feedback_provider: provider, feedback_at: at })
      .where('event_id', '=', eventId)
      .execute();
  }

  async riskConfiguration(poolId: string, clientId: string): Promise<RiskConfigurationRow | null> {
    return (
      (await this.db.selectFrom('risk_configurations').selectAll().where('pool_id', '=', poolId).where('client_id', '=', clientId).executeTakeFirst()) ?? null
    );
  }

  async putRiskConfiguration(row: RiskConfigurationRow): Promise<void> {
    await this.db
      .insertInto('risk_configurations')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doUpdateSet({ config: row.config, updated_at: row.updated_at }))
      .execute();
  }
}
