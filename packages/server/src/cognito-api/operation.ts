import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/schema.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import type { Clock } from '../services/clock.ts';
import type { Ids } from '../services/ids.ts';
import type { AuthEventNote } from '../services/auth-events.ts';
import type { Mailer } from '../services/mailer.ts';
import type { AccessClaims, TokenService } from '../services/tokens.ts';
import type { Store } from '../store/store.ts';
import type { OperatorCaller } from './operator-auth.ts';

/** What every operation may use. Nothing else: no globals, no service locator. */
export interface Deps {
  config: Config;
  store: Store;
  master: MasterKey;
  clock: Clock;
  ids: Ids;
  tokens: TokenService;
  mailer: Mailer;
  log: FastifyBaseLogger;
}

export interface RequestMeta {
  requestId: string;
  sourceIp: string;
  userAgent: string;
}

export interface UserCaller {
  kind: 'user';
  claims: AccessClaims;
  pool: Pool;
  client: AppClient;
  user: User;
}

export type AuthMode = 'public' | 'accessToken' | 'operator';
type CallerFor<A extends AuthMode> = A extends 'operator' ? OperatorCaller : A extends 'accessToken' ? UserCaller : { kind: 'public' };

export interface Context<A extends AuthMode = AuthMode> extends Deps {
  request: RequestMeta;
  caller: CallerFor<A>;
  /** Work to run once the operation has succeeded and committed, such as handing queued mail to SMTP. */
  afterSuccess: (() => Promise<void>)[];
  /** The user and kind of auth event this operation is about, set through services/auth-events.ts noteAuthEvent; the protocol layer records it, pass or fail. */
  authEvent?: AuthEventNote;
}

export interface Operation<A extends AuthMode = AuthMode> {
  /** The operation name as in `X-Amz-Target` and the AWS API reference. */
  name: string;
  auth: A;
  handle(input: never, ctx: Context<A>): Promise<object>;
}

// One helper per auth mode so each operation file states, in its first line,
// how its callers are authenticated; the dispatcher enforces it.
export const publicOperation = <I>(name: string, handle: (input: I, ctx: Context<'public'>) => Promise<object>): Operation<'public'> => ({
  name,
  auth: 'public',
  handle: handle as Operation<'public'>['handle'],
});

export const accessTokenOperation = <I extends { AccessToken?: string }>(
  name: string,
  handle: (input: I, ctx: Context<'accessToken'>) => Promise<object>,
): Operation<'accessToken'> => ({ name, auth: 'accessToken', handle: handle as Operation<'accessToken'>['handle'] });

export const operatorOperation = <I>(name: string, handle: (input: I, ctx: Context<'operator'>) => Promise<object>): Operation<'operator'> => ({
  name,
  auth: 'operator',
  handle: handle as Operation<'operator'>['handle'],
});
