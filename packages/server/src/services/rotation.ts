import type { Context } from '../context.ts';
import type { AppClient } from '../domain/client-settings.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { FoundRefreshToken } from './refresh.ts';
import { hashRefreshToken } from './tokens.ts';

const SUCCESSOR_PURPOSE = 'refresh-successor';
/** The sealed successor is bound to the token it replaced: it cannot be moved to another row. */
const successorContext = (originJti: string, hash: string): string => `${originJti}\n${hash}`;

/**
 * Refresh-token rotation (RefreshTokenRotation ENABLED; developer guide
 * "Refresh tokens", API reference RefreshTokenRotationType): each refresh
 * replaces the token presented with a new one in the same family. The family
 * keeps the lifetime of its sign-in: rotation renews the token, not the
 * session (RefreshTokenValidity counts from authentication).
 *
 * RetryGracePeriodSeconds (0-60) keeps the replaced token usable for client
 * retries. AWS does not say what a retry returns; Cognate hands back the SAME
 * successor (kept sealed with the master key), so a retry never forks the
 * family into two live branches. A retry is honoured only while that
 * successor is itself still live: a token two generations old is never valid.
 *
 * Any other use of a replaced token (after the grace period, or after its
 * successor moved on) is treated as theft and revokes the whole family: every
 * refresh token descended from the sign-in, and, through the family's
 * revocation, every access token minted in it. This is Cognate's security
 * choice, not documented Cognito behaviour: refresh-token reuse detection as
 * RFC 6819 section 5.2.2.3 and OAuth 2.1 (draft, section 4.3.1) describe it.
 *
 * The whole decision runs in one transaction around a conditional UPDATE, so
 * two simultaneous uses of one token cannot both rotate it: one wins, the
 * other is a retry (same successor) or a reuse, by the rules above.
 */
export async function rotateRefreshToken(ctx: Context, client: AppClient, found: FoundRefreshToken): Promise<string> {
  const { session, hash } = found;
  const graceMs = (client.settings.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0) * 1000;
  const now = ctx.clock.now();
  const fresh = ctx.ids.bytes(48).toString('base64url');
  // Without a grace period nothing may be handed back, so the successor is not kept at all (only its hash, in its own row).
  const sealed = graceMs > 0 ? ctx.master.seal(SUCCESSOR_PURPOSE, successorContext(session.origin_jti, hash), fresh) : null;

  const outcome = await ctx.store.transaction(async (tx): Promise<{ token: string } | { reused: true }> => {
    // A family's first token gets its row when the family first rotates.
    await tx.refreshTokens.ensure({ hash, origin_jti: session.origin_jti, issued_at: Number(session.created_at), superseded_at: null, successor_sealed: null });
    if (await tx.refreshTokens.supersede(hash, now, sealed)) {
      await tx.refreshTokens.insert({
        hash: hashRefreshToken(fresh),
        origin_jti: session.origin_jti,
        issued_at: now,
        superseded_at: null,
        successor_sealed: null,
      });
      return { token: fresh };
    }
    const row = await tx.refreshTokens.byHash(hash);
    if (row?.superseded_at != null && row.successor_sealed !== null && now < Number(row.superseded_at) + graceMs) {
      const successor = ctx.master.open(SUCCESSOR_PURPOSE, successorContext(session.origin_jti, hash), row.successor_sealed).toString('utf8');
      const next = await tx.refreshTokens.byHash(hashRefreshToken(successor));
      if (next && next.superseded_at === null) return { token: successor };
    }
    await tx.tokens.revokeSession(session.origin_jti, now);
    return { reused: true };
  });
  // Thrown after the transaction, so the family's revocation is committed.
  if ('reused' in outcome) throw Errors.NotAuthorized('Refresh Token has been revoked');
  return outcome.token;
}
