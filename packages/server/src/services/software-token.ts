import type { Context } from '../context.ts';
import { requireClientAndPool } from './lookups.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import { openChallenge, sessionId, takeChallenge } from './challenges.ts';
import { parseState, type MfaState } from './mfa.ts';

/**
 * Who AssociateSoftwareToken / VerifySoftwareToken act for: the holder of an
 * access token, or the user of an open MFA_SETUP sign-in Session. Cognito
 * takes either, not both.
 */
export type TokenCaller = { kind: 'token'; user: User } | { kind: 'session'; user: User; pool: Pool; client: AppClient; session: string; state: MfaState };

export async function softwareTokenCaller(ctx: Context, input: { AccessToken?: string | undefined; Session?: string | undefined }): Promise<TokenCaller> {
  if (input.AccessToken !== undefined && input.Session !== undefined) throw Errors.InvalidParameter('Provide either an access token or a session, not both.');
  if (input.AccessToken !== undefined) return { kind: 'token', user: (await ctx.tokens.verifyAccess(input.AccessToken)).user };
  if (input.Session === undefined) throw Errors.InvalidParameter('Missing required parameter AccessToken or Session');
  const invalid = () => Errors.NotAuthorized('Invalid session for the user.');
  const row = await ctx.store.tokens.openChallenge(sessionId(input.Session));
  if (row?.challenge !== 'MFA_SETUP' || !row.sub) throw invalid();
  if (Number(row.expires_at) <= ctx.clock.now()) throw Errors.NotAuthorized('Invalid session for the user, session is expired.');
  const { client, pool } = await requireClientAndPool(ctx.store, row.client_id);
  const user = await ctx.store.users.bySub(row.sub);
  if (!user?.enabled) throw invalid();
  return { kind: 'session', user, pool, client, session: input.Session, state: parseState(row.state) };
}

/**
 * Takes the caller's MFA_SETUP Session (single use) and opens its successor
 * at `stage`, carrying the sign-in's signals on: the Session handed back to
 * the client for its next step. Call inside the operation's transaction.
 */
export async function advanceSetupSession(
  tx: Store,
  ctx: Context,
  caller: Extract<TokenCaller, { kind: 'session' }>,
  stage: MfaState['stage'],
): Promise<string> {
  await takeChallenge(tx, ctx.clock, caller.session, caller.client, 'MFA_SETUP');
  return openChallenge(tx, ctx, {
    client: caller.client,
    user: caller.user,
    challenge: 'MFA_SETUP',
    state: { signals: caller.state.signals, stage } satisfies MfaState,
  });
}
