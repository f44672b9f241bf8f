import { claimSignature, parseTimestamp, signatureMatches } from '../../crypto/srp.ts';
import type { AppClient } from '../../domain/client-settings.ts';
import { CognitoError, Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName } from '../../services/lookups.ts';
import type { Context } from '../../context.ts';
import { takeChallenge } from '../../services/challenges.ts';
import { completeSignIn } from '../../services/sign-in.ts';
import type { ChallengeHandler } from '../flow.ts';
import { DEVICE_SECRET_BLOCK_PURPOSE, deviceKeyContext, type DeviceSrpState } from './device-srp-auth.ts';

/** How far the client's TIMESTAMP may be from the server's clock, either way (as for PASSWORD_VERIFIER). */
const TIMESTAMP_SKEW_MS = 5 * 60_000;

const incorrect = () => Errors.NotAuthorized('Incorrect username or password.');

// DEVICE_PASSWORD_VERIFIER: the device proves it holds the secret behind the
// verifier stored at ConfirmDevice, by signing DeviceGroupKey ‖ DeviceKey ‖
// SECRET_BLOCK ‖ TIMESTAMP with the SRP session key (identity-js
// getDeviceResponse). The SECRET_BLOCK names the single-use row (some clients
// send no Session here). A wrong, stale or replayed proof is
// NotAuthorizedException "Incorrect username or password.", as Cognito answers
// (aws/aws-sdk-net-extensions-cognito#73). A right one ends the sign-in with
// tokens and no MFA challenge: the remembered device is the second factor.
const devicePasswordVerifier: ChallengeHandler = {
  name: 'DEVICE_PASSWORD_VERIFIER',
  async respond(responses, _session, { ctx, pool, client }) {
    for (const name of ['USERNAME', 'DEVICE_KEY', 'PASSWORD_CLAIM_SECRET_BLOCK', 'PASSWORD_CLAIM_SIGNATURE', 'TIMESTAMP']) {
      if (!responses[name]) throw Errors.InvalidParameter(`Missing required parameter ${name}`);
    }
    const username = responses['USERNAME']!;
    const deviceKey = responses['DEVICE_KEY']!;
    checkSecretHash(client, username, responses['SECRET_HASH']);
    const secretBlock = responses['PASSWORD_CLAIM_SECRET_BLOCK']!;

    const taken = await takeSecretBlock(ctx, client, secretBlock);
    const named = await findUserBySignInName(ctx.store, pool, username);
    if (!taken?.sub || !named || named.sub !== taken.sub || taken.state.deviceKey !== deviceKey) throw incorrect();
    const device = await ctx.store.devices.find(named.sub, deviceKey);
    if (device?.status !== 'remembered') throw incorrect();

    const key = openKey(ctx, client, named.sub, taken.state);
    const at = parseTimestamp(responses['TIMESTAMP']!);
    if (!key || at === null || Math.abs(at - ctx.clock.now()) > TIMESTAMP_SKEW_MS) throw incorrect();
    const expected = claimSignature(key, device.group_key, deviceKey, taken.bytes, responses['TIMESTAMP']!);
    if (!signatureMatches(expected, responses['PASSWORD_CLAIM_SIGNATURE']!)) throw incorrect();

    // The first factor was checked moments ago; a user disabled since then does not get tokens.
    if (!named.enabled || named.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
    await ctx.store.devices.authenticated(deviceKey, ctx.request.sourceIp, ctx.clock.now());
    return completeSignIn(ctx, pool, client, named, { deviceKey, tokenSource: 'AuthenticateDevice' });
  },
};
export default devicePasswordVerifier;

/** Takes (once) the row a SECRET_BLOCK names; null for anything that is not a live DEVICE_PASSWORD_VERIFIER of this client. */
async function takeSecretBlock(
  ctx: Context,
  client: AppClient,
  secretBlock: string,
): Promise<{ sub: string | null; state: DeviceSrpState; bytes: Buffer } | null> {
  const bytes = Buffer.from(secretBlock, 'base64');
  if (bytes.length === 0 || bytes.toString('base64') !== secretBlock) return null;
  try {
    const row = await takeChallenge(ctx.store, ctx.clock, bytes.toString('base64url'), client, 'DEVICE_PASSWORD_VERIFIER');
    const state = JSON.parse(row.state) as Partial<DeviceSrpState>;
    if (typeof state.deviceKey !== 'string' || typeof state.key !== 'string') return null;
    return { sub: row.sub, state: { deviceKey: state.deviceKey, key: state.key }, bytes };
  } catch (e) {
    if (e instanceof CognitoError) return null;
    throw e;
  }
}

function openKey(ctx: Context, client: AppClient, sub: string, state: DeviceSrpState): Buffer | null {
  try {
    return ctx.master.open(DEVICE_SECRET_BLOCK_PURPOSE, deviceKeyContext(client.clientId, sub, state.deviceKey), state.key);
  } catch {
    return null;
  }
}
