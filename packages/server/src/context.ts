import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/schema.ts';
import type { MasterKey } from './crypto/master-key.ts';
import type { AppClient } from './domain/client-settings.ts';
import type { Pool } from './domain/pool-settings.ts';
import type { User } from './domain/user.ts';
import type { Clock } from './services/clock.ts';
import type { Ids } from './services/ids.ts';
import type { Mailer } from './services/mailer.ts';
import type { AccessClaims, TokenService } from './services/tokens.ts';
import type { KeyGrant } from './store/key-policies.ts';
import type { MfaSummary } from './store/mfa.ts';
import type { Store } from './store/store.ts';
import type { Functions } from './triggers/functions.ts';

// The protocol-neutral request context: what a request carries from the API
// layer (which authenticates it) down to services and auth flows (which act
// on it). It lives below every API so the layers beneath need none of them.

/** What every operation may use. Nothing else: no globals, no service locator. */
export interface Deps {
  config: Config;
  store: Store;
  master: MasterKey;
  clock: Clock;
  ids: Ids;
  tokens: TokenService;
  mailer: Mailer;
  /** Where the pool's Lambda triggers run (triggers/functions.ts). */
  functions: Functions;
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
  /** The user's MFA summary, read with the user when the token was checked (GetUser shows it). */
  mfa: MfaSummary;
}

export interface OperatorCaller {
  kind: 'operator';
  accessKeyId: string;
  /** The region the call was signed for (its credential scope's): the region whose endpoint AWS would have answered it from. */
  region: string;
  /** The key's policy as read with the key, for the policy check of the same call. */
  grant: KeyGrant;
}

export type AuthMode = 'public' | 'accessToken' | 'operator';
type CallerFor<A extends AuthMode> = A extends 'operator' ? OperatorCaller : A extends 'accessToken' ? UserCaller : { kind: 'public' };

/** The EventType values of the API that Cognate performs. */
export type AuthEventType = 'SignIn' | 'SignUp' | 'ForgotPassword' | 'PasswordChange' | 'ResendCode';
export type ChallengeOutcome = { ChallengeName: 'Password' | 'Mfa'; ChallengeResponse: 'Success' | 'Failure' };

export interface AuthEventNote {
  poolId: string;
  sub: string;
  type: AuthEventType;
  challenges: ChallengeOutcome[];
}

export interface Context<A extends AuthMode = AuthMode> extends Deps {
  request: RequestMeta;
  caller: CallerFor<A>;
  /** Work to run once the operation has succeeded and committed, such as handing queued mail to SMTP. */
  afterSuccess: (() => Promise<void>)[];
  /** The user and kind of auth event this operation is about, set through services/auth-events.ts noteAuthEvent; the protocol layer records it, pass or fail. */
  authEvent?: AuthEventNote;
  /** Set by the managed-login pages: a sign-in that passes every step ends with the user, not tokens (services/sign-in.ts completeSignIn). */
  hostedSignIn?: boolean;
  /**
   * The call's ClientMetadata, which only Lambda triggers read (set by the
   * router for every operation that has it). InitiateAuth's is moved to the
   * flow's validationData (cognito-api/auth.ts): the post authentication and
   * pre token generation triggers get only RespondToAuthChallenge's.
   */
  clientMetadata?: Record<string, string>;
}
