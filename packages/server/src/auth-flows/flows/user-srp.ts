import { randomBytes } from 'node:crypto';
import { N, parseA, saltFrom, serverSession } from '../../crypto/srp.ts';
import { isEmail, isPhone } from '../../domain/attributes.ts';
import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import { usesEmailAsUsername, usesPhoneAsUsername, type Pool } from '../../domain/pool-settings.ts';
import type { User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName, usernameKey } from '../../services/lookups.ts';
import type { Context } from '../../context.ts';
import { openChallenge } from '../../services/challenges.ts';
import { openVerifier } from '../../services/password-material.ts';
import { checkBeforePassword, checkUnknownNameBeforePassword, unknownUserError } from '../../services/sign-in.ts';
import type { AuthStep } from '../../services/auth-step.ts';
import { preAuthentication } from '../../triggers/authentication.ts';
import type { ChallengeResult } from '../custom-rounds.ts';
import type { AuthFlow, FlowEnv, Params } from '../flow.ts';

/** The flows that may start with SRP; the PASSWORD_VERIFIER answer continues the one that started it. */
export type SrpFlow = 'USER_SRP_AUTH' | 'CUSTOM_AUTH';

/** What the challenge row keeps between InitiateAuth and the PASSWORD_VERIFIER answer. */
export interface SrpState {
  flow: SrpFlow;
  /** USER_ID_FOR_SRP: the username the claim is signed over. */
  userId: string;
  /** The 16-byte session key derived from S, sealed (b itself is never stored). */
  key: string;
  /** For a simulated challenge (unknown name, PreventUserExistenceErrors ENABLED): the key its failed claim counts under. */
  unknownName?: string;
  /** CUSTOM_AUTH: the session list so far (SRP_A), for DefineAuthChallenge after the proof. */
  custom?: ChallengeResult[];
}

export const SECRET_BLOCK_PURPOSE = 'srp-secret-block';
/** Binds the sealed key to its row: another client, user or user ID cannot open it. */
export const keyContext = (clientId: string, sub: string | null, userId: string): string => `${clientId}\n${sub ?? ''}\n${userId}`;

/**
 * The first SRP step (USER_SRP_AUTH, and CUSTOM_AUTH with SRP_A): the
 * PASSWORD_VERIFIER challenge with SALT, SRP_B, SECRET_BLOCK and
 * USER_ID_FOR_SRP. The server's secret b is used once and dropped: the key
 * derived from S is sealed into a single-use challenge row, and SECRET_BLOCK
 * is that row's random handle (only its hash is stored). Cognito sends no
 * Session with this challenge: clients answer with the SECRET_BLOCK, and some
 * (pycognito) send nothing else.
 *
 * Users who cannot answer get the same shape of challenge, with the same
 * work done: an unknown user where PreventUserExistenceErrors is ENABLED (salt
 * and user ID stable per name, from a keyed hash) and a user whose password
 * predates SRP verifiers (until their next password sign-in). Their claim then
 * fails as a wrong password.
 */
export async function startSrp(
  params: Params,
  { ctx, pool, client, validationData }: FlowEnv,
  flow: SrpFlow,
  { signInStarts = false, custom }: { signInStarts?: boolean; custom?: ChallengeResult[] } = {},
): Promise<AuthStep> {
  const username = params['USERNAME'];
  const srpA = params['SRP_A'];
  if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
  if (!srpA) throw Errors.InvalidParameter('Missing required parameter SRP_A');
  checkSecretHash(client, username, params['SECRET_HASH']);
  const A = parseA(srpA);
  if (A === null) throw Errors.InvalidParameter('Invalid SRP_A.');

  const user = await findUserBySignInName(ctx.store, pool, username);
  // LEGACY answers an unknown user here, as Cognito does; ENABLED plays along until the claim.
  if (!user && !preventsUserExistenceErrors(client)) throw unknownUserError(client);
  // The pre authentication trigger, when SRP is how the sign-in starts (USER_AUTH has run it already), before any challenge is opened.
  if (signInStarts) await preAuthentication(ctx, pool, client, { user, given: username, validationData: validationData ?? null });
  if (user) checkBeforePassword(user, ctx.clock.now(), client);
  // An unknown name under ENABLED is locked out as an account would be (services/sign-in.ts).
  const unknownName = user ? undefined : await checkUnknownNameBeforePassword(ctx, pool, username);
  const simulated = simulatedUser(ctx, pool, user, username);
  const v = (user && openVerifier(ctx.master, user)) ?? simulated.verifier;
  const salt = (user?.srpVerifierSealed && user.srpSalt) || simulated.salt;
  const userId = user?.username ?? simulated.userId;

  const { B, key } = serverSession(A, v);
  const sealedKey = ctx.master.seal(SECRET_BLOCK_PURPOSE, keyContext(client.clientId, user?.sub ?? null, userId), key);
  const state: SrpState = { flow, userId, key: sealedKey, ...(unknownName ? { unknownName } : {}), ...(custom ? { custom } : {}) };
  const handle = await openChallenge(ctx.store, ctx, { client, user, challenge: 'PASSWORD_VERIFIER', state: { ...state } });
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: salt,
      SECRET_BLOCK: Buffer.from(handle, 'base64url').toString('base64'),
      SRP_B: B.toString(16),
      USERNAME: userId,
      USER_ID_FOR_SRP: userId,
    },
  };
}

/**
 * Stand-ins for a user who has no verifier: a salt and user ID that stay the
 * same for the same name (asking twice must not tell a real user from a made
 * up one), and a throwaway verifier that no password matches.
 */
function simulatedUser(ctx: Context, pool: Pool, user: User | null, given: string): { salt: string; userId: string; verifier: bigint } {
  const name = user ? `user:${user.sub}` : `name:${usernameKey(pool, given)}`;
  const mac = (purpose: string) => Buffer.from(ctx.master.mac(purpose, `${pool.id}\n${name}`), 'base64url');
  const verifier = BigInt(`0x${randomBytes(384).toString('hex')}`) % N;
  // A real user signing in with an email or phone number gets back their username: a UUID where those are username attributes.
  const looksLikeAlias = usesEmailAsUsername(pool) || usesPhoneAsUsername(pool) || isEmail(given) || isPhone(given);
  return { salt: saltFrom(mac('srp-simulated-salt')), userId: looksLikeAlias ? uuidFrom(mac('srp-simulated-user')) : given, verifier };
}

function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const userSrpAuth: AuthFlow = {
  names: ['USER_SRP_AUTH'],
  endpoints: ['public', 'admin'],
  allow: 'ALLOW_USER_SRP_AUTH',
  start: (params, env) => startSrp(params, env, 'USER_SRP_AUTH', { signInStarts: true }),
};
export default userSrpAuth;
