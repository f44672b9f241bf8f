import type { Context } from '../context.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import type { RefreshTokenRow, SessionRow } from '../store/tables.ts';
import { hashRefreshToken } from './tokens.ts';

const MAX_REFRESH_TOKEN_LENGTH = 4096;

/** A refresh token found: its family, and its own row once the family has rotated (null before). */
export interface FoundRefreshToken {
  hash: string;
  session: SessionRow;
  rotation: RefreshTokenRow | null;
}

/**
 * The family a refresh token belongs to, whether it is a family's first token
 * (sessions.refresh_hash) or one issued by rotation (refresh_tokens). A
 * rotated family's first token is in refresh_tokens too, so that row wins.
 */
export async function findRefreshToken(store: Store, token: string): Promise<FoundRefreshToken | null> {
  if (token.length > MAX_REFRESH_TOKEN_LENGTH) return null;
  const hash = hashRefreshToken(token);
  const rotation = await store.refreshTokens.byHash(hash);
  const session = rotation ? await store.tokens.session(rotation.origin_jti) : await store.tokens.sessionByRefreshHash(hash);
  return session ? { hash, session, rotation } : null;
}

export const rotates = (client: AppClient): boolean => client.settings.RefreshTokenRotation?.Feature === 'ENABLED';

/**
 * The token family a refresh token belongs to, for REFRESH_TOKEN_AUTH and
 * GetTokensFromRefreshToken. `proveClient` runs once the user is known and
 * before anything else about the token is revealed (the client secret check).
 * A revoked or expired family, another client's token, or a disabled user is
 * refused. A token replaced by rotation is refused here unless the client
 * rotates: then the grace rules of services/rotation.ts decide.
 */
export async function refreshableSession(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  token: string,
  proveClient: (user: User) => void,
): Promise<{ session: SessionRow; user: User; found: FoundRefreshToken }> {
  const found = await findRefreshToken(ctx.store, token);
  const session = found?.session;
  if (!found || !session || session.client_id !== client.clientId || session.pool_id !== pool.id) throw Errors.NotAuthorized('Invalid Refresh Token.');
  const user = await ctx.store.users.bySub(session.sub);
  if (!user) throw Errors.NotAuthorized('Invalid Refresh Token.');
  proveClient(user);
  if (session.revoked_at !== null) throw Errors.NotAuthorized('Refresh Token has been revoked');
  if (Number(session.expires_at) <= ctx.clock.now()) throw Errors.NotAuthorized('Refresh Token has expired');
  if (found.rotation?.superseded_at != null && !rotates(client)) throw Errors.NotAuthorized('Invalid Refresh Token.');
  if (!user.enabled || user.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
  // Archiving and compromise revoke every session already; this holds even for a family created in a race with them.
  if (user.status === 'COMPROMISED') throw Errors.NotAuthorized('Refresh Token has been revoked');
  return { session, user, found };
}
