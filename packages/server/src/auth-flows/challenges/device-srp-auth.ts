import { parseA, serverSession } from '../../crypto/srp.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName } from '../../services/lookups.ts';
import { openChallenge, takeChallenge } from '../../services/challenges.ts';
import { openDeviceVerifier } from '../../services/devices.ts';
import type { ChallengeHandler } from '../flow.ts';

export const DEVICE_SECRET_BLOCK_PURPOSE = 'device-srp-secret-block';
/** Binds the sealed session key to its client, user and device. */
export const deviceKeyContext = (clientId: string, sub: string, deviceKey: string): string => `${clientId}\n${sub}\n${deviceKey}`;

/** What the DEVICE_PASSWORD_VERIFIER row keeps between the two device steps. */
export interface DeviceSrpState {
  deviceKey: string;
  /** The 16-byte SRP session key, sealed (b is never stored). */
  key: string;
}

const incorrect = () => Errors.NotAuthorized('Incorrect username or password.');

// DEVICE_SRP_AUTH: the client of a remembered device answers the challenge
// that deviceStep (services/devices.ts) issued after the first factor, with
// USERNAME, DEVICE_KEY and SRP_A. The answer is the device's own SRP first
// step, as identity-js's getDeviceResponse expects it: DEVICE_PASSWORD_VERIFIER
// with SRP_B and SALT of the device's verifier and a SECRET_BLOCK that names a
// single-use row holding the sealed session key. The Session is required and
// used once: the device proof only counts after this user's first factor.
const deviceSrpAuth: ChallengeHandler = {
  name: 'DEVICE_SRP_AUTH',
  async respond(responses, session, { ctx, pool, client }) {
    for (const name of ['USERNAME', 'DEVICE_KEY', 'SRP_A']) {
      if (!responses[name]) throw Errors.InvalidParameter(`Missing required parameter ${name}`);
    }
    const username = responses['USERNAME']!;
    const deviceKey = responses['DEVICE_KEY']!;
    checkSecretHash(client, username, responses['SECRET_HASH']);
    const A = parseA(responses['SRP_A']!);
    if (A === null) throw Errors.InvalidParameter('Invalid SRP_A.');

    const row = await takeChallenge(ctx.store, ctx.clock, session, client, 'DEVICE_SRP_AUTH');
    const state = JSON.parse(row.state) as { deviceKey?: unknown };
    const named = await findUserBySignInName(ctx.store, pool, username);
    if (!row.sub || !named || named.sub !== row.sub || state.deviceKey !== deviceKey) throw incorrect();
    const device = await ctx.store.devices.find(row.sub, deviceKey);
    const v = device && device.status === 'remembered' ? openDeviceVerifier(ctx.master, device) : null;
    if (!device?.salt || v === null) throw incorrect();

    const { B, key } = serverSession(A, v);
    const sealed = ctx.master.seal(DEVICE_SECRET_BLOCK_PURPOSE, deviceKeyContext(client.clientId, row.sub, deviceKey), key);
    const state2: DeviceSrpState = { deviceKey, key: sealed };
    const handle = await openChallenge(ctx.store, ctx, { client, user: named, challenge: 'DEVICE_PASSWORD_VERIFIER', state: { ...state2 } });
    return {
      ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
      Session: handle,
      ChallengeParameters: {
        DEVICE_KEY: deviceKey,
        SALT: device.salt,
        SECRET_BLOCK: Buffer.from(handle, 'base64url').toString('base64'),
        SRP_B: B.toString(16),
        USERNAME: named.username,
      },
    };
  },
};
export default deviceSrpAuth;
