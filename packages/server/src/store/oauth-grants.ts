import type { Kysely } from 'kysely';
import type { HostedSessionRow, OAuthCodeRow, Tables } from './tables.ts';

/** Authorization codes and managed-login sessions (migration 022). */
export class OAuthGrantStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async insertCode(row: OAuthCodeRow): Promise<void> {
    await this.db.insertInto('oauth_codes').values(row).execute();
  }

  async code(hash: string): Promise<OAuthCodeRow | null> {
    return (await this.db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst()) ?? null;
  }

  /**
   * Takes a code for an exchange, at most once: of two concurrent exchanges
   * only one updates the row. `origin_jti` names the token family the
   * exchange is about to create, kept for a replay to revoke.
   */
  async consumeCode(hash: string, now: number, originJti: string): Promise<boolean> {
    const result = await this.db
      .updateTable('oauth_codes')
      .set({ consumed_at: now, origin_jti: originJti })
      .where('code_hash', '=', hash)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertHostedSession(row: HostedSessionRow): Promise<void> {
    await this.db.insertInto('hosted_sessions').values(row).execute();
  }

  async hostedSession(idHash: string): Promise<HostedSessionRow | null> {
    return (await this.db.selectFrom('hosted_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()) ?? null;
  }

  /** Ends every managed-login session of the user: a new password signs the user's browsers out of the pages. */
  async endHostedSessions(sub: string): Promise<void> {
    await this.db.deleteFrom('hosted_sessions').where('sub', '=', sub).execute();
  }

  async deleteHostedSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('hosted_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Removes codes and sessions past their life (the periodic purge). */
  async purgeExpired(now: number): Promise<void> {
    // A consumed code is kept a while past expiry so a late replay is still recognised and revokes its tokens.
    await this.db
      .deleteFrom('oauth_codes')
      .where('expires_at', '<', now - 3600_000)
      .execute();
    await this.db.deleteFrom('hosted_sessions').where('expires_at', '<', now).execute();
  }
}
