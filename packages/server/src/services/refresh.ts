import type { Context } from '../cognito-api/operation.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { SessionRow } from '../store/tables.ts';
import { hashRefreshToken } from './tokens.ts';

/**
 * The token family a refresh token belongs to, for REFRESH_TOKEN_AUTH and
 * GetTokensFromRefreshToken. `proveClient` runs once the user is known and
 * before anything else about the token is revealed (the client secret check).
 * A revoked or expired family, another client's token, or a disabled user is refused.
 */
export async function refreshableSession(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  token: string,
  proveClient: (user: User) => void,
): Promise<{ session: SessionRow; user: User }> {
  const session = token.length <= 4096 ? await ctx.store.tokens.sessionByRefreshHash(hashRefreshToken(token)) : null;
  if (!session || session.client_id !== client.clientId || session.pool_id !== pool.id) throw Errors.NotAuthorized('Invalid Refresh Token.');
  const user = await ctx.store.users.bySub(session.sub);
  if (!user) throw Errors.NotAuthorized('Invalid Refresh Token.');
  proveClient(user);
  if (session.revoked_at !== null) throw Errors.NotAuthorized('Refresh Token has been revoked');
  if (Number(session.expires_at) <= ctx.clock.now()) throw Errors.NotAuthorized('Refresh Token has expired');
  if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
  return { session, user };
}
