import { claimSignature, parseTimestamp, poolName, signatureMatches } from '../../crypto/srp.ts';
import type { AppClient } from '../../domain/client-settings.ts';
import type { User } from '../../domain/user.ts';
import { CognitoError, Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName } from '../../services/lookups.ts';
import type { Context } from '../../context.ts';
import { noteAuthEvent } from '../../services/auth-events.ts';
import { takeChallenge } from '../../services/challenges.ts';
import { afterFirstFactor, checkBeforePassword, passwordAccepted, passwordRefused, unknownNameRefused } from '../../services/sign-in.ts';
import type { AuthStep } from '../../services/auth-step.ts';
import { continueCustomAuth } from '../flows/custom-auth.ts';
import { keyContext, SECRET_BLOCK_PURPOSE, type SrpState } from '../flows/user-srp.ts';
import type { ChallengeHandler, FlowEnv } from '../flow.ts';

/** How far the client's TIMESTAMP may be from the server's clock, either way. */
const TIMESTAMP_SKEW_MS = 5 * 60_000;

const incorrect = () => Errors.NotAuthorized('Incorrect username or password.');

// PASSWORD_VERIFIER: the client proves it derived the same SRP session key,
// by signing the pool name, its user ID, the SECRET_BLOCK and a TIMESTAMP.
// The SECRET_BLOCK names a single-use challenge row (the Session, if sent,
// is not needed); a claim that is replayed, forged, stale or wrong is
// "Incorrect username or password." and counts for the lockout as a wrong
// password does. A right claim goes where a right password goes.
const passwordVerifier: ChallengeHandler = {
  name: 'PASSWORD_VERIFIER',
  async respond(responses, _session, env) {
    const { ctx, pool, client } = env;
    const username = responses['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    for (const name of ['PASSWORD_CLAIM_SECRET_BLOCK', 'PASSWORD_CLAIM_SIGNATURE', 'TIMESTAMP']) {
      if (!responses[name]) throw Errors.InvalidParameter(`Missing required parameter ${name}`);
    }
    const secretBlock = responses['PASSWORD_CLAIM_SECRET_BLOCK']!;
    const named = await findUserBySignInName(ctx.store, pool, username);

    const taken = await takeSecretBlock(ctx, client, secretBlock);
    // The SECRET_BLOCK must be this user's: USERNAME (their username or an alias)
    // names the user the challenge was for. A claim naming no live challenge
    // proves nothing about the password and costs the sender nothing, so it is
    // refused without counting toward anyone's lockout (else anyone could lock
    // any account by name).
    // A claim on a simulated challenge (an unknown name, PreventUserExistenceErrors
    // ENABLED) fails as a wrong password does, and counts toward that name's simulated lockout.
    if (taken && !taken.row.sub && taken.state.unknownName && !named) return unknownNameRefused(ctx, taken.state.unknownName);
    if (!taken?.row.sub || !named || named.sub !== taken.row.sub) throw incorrect();
    const user = named;
    noteAuthEvent(ctx, user, 'SignIn');
    checkBeforePassword(user, ctx.clock.now(), client);

    const key = openKey(ctx, client, user, taken.state);
    const at = parseTimestamp(responses['TIMESTAMP']!);
    if (!key || at === null || Math.abs(at - ctx.clock.now()) > TIMESTAMP_SKEW_MS) return passwordRefused(ctx, user);
    const expected = claimSignature(key, poolName(pool.id), taken.state.userId, taken.bytes, responses['TIMESTAMP']!);
    if (!signatureMatches(expected, responses['PASSWORD_CLAIM_SIGNATURE']!)) return passwordRefused(ctx, user);

    const accepted = await passwordAccepted(ctx, user);
    return next(taken.state, env, accepted, responses['DEVICE_KEY']);
  },
};
export default passwordVerifier;

function next(state: SrpState, env: FlowEnv, user: User, deviceKey: string | undefined): Promise<AuthStep> {
  const { ctx, pool, client } = env;
  if (state.flow === 'CUSTOM_AUTH') return continueCustomAuth(env, user, state.custom ?? [], deviceKey);
  // amazon-cognito-identity-js sends a remembered device's key with the password proof.
  return afterFirstFactor(ctx, pool, client, user, { deviceKey });
}

/** Takes (once) the challenge row a SECRET_BLOCK names; null for anything that is not a live PASSWORD_VERIFIER of this client. */
async function takeSecretBlock(
  ctx: Context,
  client: AppClient,
  secretBlock: string,
): Promise<{ row: { sub: string | null }; state: SrpState; bytes: Buffer } | null> {
  const bytes = Buffer.from(secretBlock, 'base64');
  // Only the exact encoding it was issued in: base64 decoding skips stray characters.
  if (bytes.length === 0 || bytes.toString('base64') !== secretBlock) return null;
  try {
    const row = await takeChallenge(ctx.store, ctx.clock, bytes.toString('base64url'), client, 'PASSWORD_VERIFIER');
    const state = JSON.parse(row.state) as Partial<SrpState>;
    if (typeof state.userId !== 'string' || typeof state.key !== 'string' || (state.flow !== 'USER_SRP_AUTH' && state.flow !== 'CUSTOM_AUTH')) return null;
    const unknownName = typeof state.unknownName === 'string' ? { unknownName: state.unknownName } : {};
    const custom = Array.isArray(state.custom) ? { custom: state.custom } : {};
    return { row, state: { flow: state.flow, userId: state.userId, key: state.key, ...unknownName, ...custom }, bytes };
  } catch (e) {
    if (e instanceof CognitoError) return null;
    throw e;
  }
}

function openKey(ctx: Context, client: AppClient, user: User, state: SrpState): Buffer | null {
  try {
    return ctx.master.open(SECRET_BLOCK_PURPOSE, keyContext(client.clientId, user.sub, state.userId), state.key);
  } catch {
    return null;
  }
}
