import { sha256Base64url } from '../crypto/digest.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import type { AuthChallengeRow } from '../store/tables.ts';
import type { Clock } from './clock.ts';
import type { Ids } from './ids.ts';

export const sessionId = sha256Base64url;

/**
 * Opens a challenge session: the `Session` handed to the client is random and
 * only its hash is stored, bound to the pool, client, user and challenge, and
 * expiring after the client's AuthSessionValidity (3 minutes by default).
 */
export async function openChallenge(
  store: Store,
  deps: { clock: Clock; ids: Ids },
  args: { client: AppClient; user: User | null; challenge: string; state?: Record<string, unknown> },
): Promise<string> {
  const session = deps.ids.bytes(64).toString('base64url');
  const minutes = args.client.settings.AuthSessionValidity ?? 3;
  await store.tokens.insertChallenge({
    id: sessionId(session),
    pool_id: args.client.poolId,
    client_id: args.client.clientId,
    sub: args.user?.sub ?? null,
    challenge: args.challenge,
    state: JSON.stringify(args.state ?? {}),
    expires_at: deps.clock.now() + minutes * 60_000,
    consumed_at: null,
  });
  return session;
}

/** Checks a session is open for answering `challenge` from `client`, without taking it (before costly work). */
export async function peekChallenge(store: Store, clock: Clock, session: string | undefined, client: AppClient, challenge: string): Promise<AuthChallengeRow> {
  if (!session) throw Errors.InvalidParameter('Missing required parameter Session');
  return checkRow(await store.tokens.openChallenge(sessionId(session)), clock, client, challenge);
}

/** Takes a session for answering `challenge` from `client`: once only, before it expires. */
export async function takeChallenge(store: Store, clock: Clock, session: string | undefined, client: AppClient, challenge: string): Promise<AuthChallengeRow> {
  if (!session) throw Errors.InvalidParameter('Missing required parameter Session');
  return checkRow(await store.tokens.consumeChallenge(sessionId(session), clock.now()), clock, client, challenge);
}

function checkRow(row: AuthChallengeRow | null, clock: Clock, client: AppClient, challenge: string): AuthChallengeRow {
  if (!row || row.client_id !== client.clientId || row.challenge !== challenge) throw Errors.NotAuthorized('Invalid session for the user.');
  if (Number(row.expires_at) <= clock.now()) throw Errors.NotAuthorized('Invalid session for the user, session is expired.');
  return row;
}
