import { createHash } from 'node:crypto';
import { epochSeconds } from '../domain/wire.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import type { SessionRow } from '../store/tables.ts';
import type { SessionPageCursor } from '../store/tokens.ts';
import type { Context } from '../context.ts';
import { decodePageToken, encodePageToken } from './pagination.ts';

/**
 * Cognito's session operations (ListUserSessions, RevokeUserSession and their
 * Admin twins) over Cognate's token families: each sign-in is one row of the
 * sessions table, which is what Cognito calls a token session (SessionType
 * TOKEN). Cognito names a token session `tkn` and 25 lowercase letters and
 * digits (the SDK's SessionDescriptionType); Cognate derives those 25 from a
 * hash of the family's origin_jti, so the id is stable, reveals nothing new
 * and is found again among the user's own families.
 */
export const sessionId = (originJti: string): string =>
  `tkn${BigInt(`0x${createHash('sha256').update(originJti, 'utf8').digest('hex')}`)
    .toString(36)
    .padStart(25, '0')
    .slice(-25)}`;

/** Cognito returns a user's sessions in pages of up to 125 (API reference, AdminListUserSessions). */
const PAGE = 125;

/**
 * One page of the user's live token families, newest first. NextToken is
 * sealed and bound to the operation, pool and user (services/pagination.ts).
 */
export async function describeSessions(
  ctx: Pick<Context, 'store' | 'master' | 'clock'>,
  scope: string,
  sub: string,
  nextToken: string | undefined,
  currentOriginJti?: string,
): Promise<{ Sessions: object[]; NextToken?: string }> {
  const after = decodePageToken<SessionPageCursor>(ctx.master, scope, nextToken);
  const rows = await ctx.store.tokens.liveUserSessions(sub, ctx.clock.now(), PAGE + 1, after);
  const page = rows.slice(0, PAGE);
  const last = page[page.length - 1];
  return {
    Sessions: page.map((row) => ({
      SessionId: sessionId(row.origin_jti),
      SessionType: 'TOKEN',
      ClientId: row.client_id,
      CreateDate: epochSeconds(Number(row.created_at)),
      // Cognate does not record refreshes on the family: its last activity is its creation.
      LastActiveDate: epochSeconds(Number(row.created_at)),
      IsCurrentSession: row.origin_jti === currentOriginJti,
    })),
    ...(rows.length > PAGE && last
      ? { NextToken: encodePageToken(ctx.master, scope, { createdAt: Number(last.created_at), jti: last.origin_jti } satisfies SessionPageCursor) }
      : {}),
  };
}

/**
 * Revokes one of the user's live token families by its SessionId through the
 * path RevokeToken and GlobalSignOut use (TokenStore.revokeSession), so its
 * refresh tokens stop working and its access tokens are refused at once. An id
 * that names none of the user's live sessions is ResourceNotFoundException
 * (our wording; Cognito's is unpublished). RevokeAssociatedSessions LINKED
 * would also revoke the SSO session a token session came through; Cognate's
 * token families have no SSO parent, so it revokes the same family.
 */
export async function revokeSession(store: Store, sub: string, id: string, now: number): Promise<SessionRow> {
  const row = (await store.tokens.liveUserSessions(sub, now)).find((r) => sessionId(r.origin_jti) === id);
  if (!row) throw Errors.ResourceNotFound('Session not found.');
  await store.tokens.revokeSession(row.origin_jti, now);
  return row;
}
