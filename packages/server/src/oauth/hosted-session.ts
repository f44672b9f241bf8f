import { sha256Base64url } from '../crypto/digest.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../context.ts';
import type { User } from '../domain/user.ts';

// The browser's managed-login sign-in: a random cookie whose hash keys a
// hosted_sessions row. Within its life an authorization request is answered
// without asking for the password again (developer guide, "Managed login":
// one hour, not extended by reuse); /logout ends it. The cookie is HttpOnly,
// SameSite=Lax (sent on the top-level navigation from the app to
// /oauth2/authorize, not on cross-site subrequests) and Secure except over
// plain HTTP to localhost.

export const SESSION_COOKIE = 'cognito';
export const HOSTED_SESSION_MS = 60 * 60_000;

const hashId = sha256Base64url;

const isLocalHost = (req: FastifyRequest): boolean => /^(localhost|127\.0\.0\.1|\[::1\])$/i.test(req.hostname.replace(/:\d+$/, ''));

export function cookieOptions(req: FastifyRequest, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.protocol === 'https' || !isLocalHost(req),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** The signed-in user of the browser's session for this pool, if it is still valid and the user may still sign in. */
export async function currentHostedSession(
  req: FastifyRequest,
  deps: Pick<Deps, 'store' | 'clock'>,
  poolId: string,
): Promise<{ user: User; authTime: number } | null> {
  const id = req.cookies[SESSION_COOKIE];
  if (!id || id.length > 256) return null;
  const row = await deps.store.oauthGrants.hostedSession(hashId(id));
  if (!row || row.pool_id !== poolId || Number(row.expires_at) <= deps.clock.now()) return null;
  const user = await deps.store.users.bySub(row.sub);
  if (!user?.enabled || user.status !== 'CONFIRMED') return null;
  return { user, authTime: Number(row.auth_time) };
}

/** Starts a session for a user who just signed in on the pages; returns its sign-in time (Unix seconds). */
export async function startHostedSession(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: Pick<Deps, 'store' | 'clock' | 'ids'>,
  user: User,
  /** The sign-in's time (epoch seconds), when the caller fixed it already (for the implicit grant's tokens). */
  authTime = Math.floor(deps.clock.now() / 1000),
): Promise<number> {
  // The browser's previous session (another user's, or an older sign-in) ends here: one cookie, one session.
  const previous = req.cookies[SESSION_COOKIE];
  if (previous && previous.length <= 256) await deps.store.oauthGrants.deleteHostedSession(hashId(previous));
  const id = deps.ids.bytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.store.oauthGrants.insertHostedSession({
    id_hash: hashId(id),
    pool_id: user.poolId,
    sub: user.sub,
    auth_time: authTime,
    created_at: now,
    expires_at: now + HOSTED_SESSION_MS,
  });
  reply.setCookie(SESSION_COOKIE, id, cookieOptions(req, HOSTED_SESSION_MS / 1000));
  return authTime;
}

export async function endHostedSession(req: FastifyRequest, reply: FastifyReply, deps: Pick<Deps, 'store'>): Promise<void> {
  const id = req.cookies[SESSION_COOKIE];
  if (id && id.length <= 256) await deps.store.oauthGrants.deleteHostedSession(hashId(id));
  reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
}
