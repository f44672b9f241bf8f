import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession, type ICognitoStorage } from 'amazon-cognito-identity-js';
import {
  AdminCreateUserCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';

// amazon-cognito-identity-js, unmodified, in a pool that REQUIRES TOTP MFA and
// tracks devices (ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt):
// the sign-in answered with sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA') gets
// NewDeviceMetadata, which the library confirms itself (ConfirmDevice);
// setDeviceStatusRemembered remembers the device; after signOut the device's
// key, group key and random password stay in the library's Storage, so the next
// authenticateUser proves the device (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)
// instead of being asked for a code; forgetDevice() brings the TOTP challenge
// back. Every request the library makes is recorded. The server's clock is a
// fake close to real time (the library signs its SRP TIMESTAMPs with the real
// one), advanced one TOTP step between codes so each code is new.

const PASSWORD = 'Passw0rd!';
const clock = new FakeClock(Date.now());
const totp = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: clock.now() });

/** The in-memory Storage identity-js persists tokens and device keys to, shared by every CognitoUser here. */
class MemoryStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

type Outcome =
  | { kind: 'signedIn'; session: CognitoUserSession; userConfirmationNecessary: boolean | undefined }
  | { kind: 'mfaSetup' }
  | { kind: 'totpRequired'; name: string }
  | { kind: 'mfaRequired'; name: string };

function authenticate(user: CognitoUser): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: PASSWORD }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ kind: 'signedIn', session, userConfirmationNecessary }),
      onFailure: (err: Error) => reject(err),
      mfaSetup: () => resolve({ kind: 'mfaSetup' }),
      totpRequired: (name: string) => resolve({ kind: 'totpRequired', name }),
      mfaRequired: (name: string) => resolve({ kind: 'mfaRequired', name }),
    });
  });
}

const sendTotp = (user: CognitoUser, code: string) =>
  new Promise<{ session: CognitoUserSession; userConfirmationNecessary: boolean | undefined }>((resolve, reject) =>
    user.sendMFACode(
      code,
      { onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }), onFailure: reject },
      'SOFTWARE_TOKEN_MFA',
    ),
  );

describe('amazon-cognito-identity-js: a remembered device skips TOTP MFA', () => {
  let c: Running;
  let poolId: string;
  let clientId: string;
  let pool: CognitoUserPool;
  const storage = new MemoryStorage();
  const calls: string[] = [];
  before(async () => {
    c = await startCognate({ clock });
    poolId = (
      await c.admin.send(
        new CreateUserPoolCommand({
          PoolName: 'identity-js-device-mfa',
          DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
        }),
      )
    ).UserPool!.Id!;
    await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    clientId = (
      await c.admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      )
    ).UserPoolClient!.ClientId!;
    pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: c.url, Storage: storage });
    const transport = (pool as unknown as { client: { request(op: string, params: { ChallengeName?: string }, cb: unknown): void } }).client;
    const request = transport.request.bind(transport);
    transport.request = (op, params, cb) => {
      calls.push(params.ChallengeName ? `${op}:${params.ChallengeName}` : op);
      request(op, params, cb);
    };
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dana', MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'dana', Password: PASSWORD, Permanent: true }));
  });
  after(() => c.stop());

  const newUser = () => new CognitoUser({ Username: 'dana', Pool: pool, Storage: storage });
  const cachedDeviceKey = () => storage.getItem(`CognitoIdentityServiceProvider.${clientId}.dana.deviceKey`);

  it('sendMFACode confirms the device, setDeviceStatusRemembered remembers it, the next sign-in passes DEVICE_SRP_AUTH without a code, and forgetDevice() brings TOTP back (as does a device never remembered)', async () => {
    // Enrolment during sign-in (the pool requires MFA): MFA_SETUP, then the authenticator.
    const enrolling = newUser();
    assert.equal((await authenticate(enrolling)).kind, 'mfaSetup');
    const secret = await new Promise<string>((resolve, reject) => enrolling.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    await new Promise<CognitoUserSession>((resolve, reject) => enrolling.verifySoftwareToken(totp(secret), 'phone', { onSuccess: resolve, onFailure: reject }));
    enrolling.signOut();
    assert.equal(cachedDeviceKey(), null, 'the enrolment sign-in confirmed no device');

    // 1. A TOTP sign-in: the answer's NewDeviceMetadata is confirmed by the library.
    clock.advance(30_000);
    calls.length = 0;
    const first = newUser();
    assert.deepEqual(await authenticate(first), { kind: 'totpRequired', name: 'SOFTWARE_TOKEN_MFA' });
    const answered = await sendTotp(first, totp(secret));
    assert.ok(answered.session.isValid());
    assert.equal(answered.userConfirmationNecessary, true, 'DeviceOnlyRememberedOnUserPrompt: the user is to be asked');
    assert.deepEqual(calls, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'RespondToAuthChallenge:SOFTWARE_TOKEN_MFA', 'ConfirmDevice']);
    const deviceKey = cachedDeviceKey();
    assert.match(deviceKey ?? '', new RegExp(`^${poolId.split('_')[0]}_[0-9a-f-]{36}$`));
    await new Promise((resolve, reject) => first.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));
    const listed = (await c.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dana' }))).Devices ?? [];
    assert.deepEqual(
      listed.map((d) => [d.DeviceKey, d.DeviceAttributes?.find((a) => a.Name === 'device_status')?.Value]),
      [[deviceKey, 'remembered']],
    );

    // 2. Sign out: tokens go, the device's keys stay in Storage.
    first.signOut();
    assert.equal(storage.getItem(`CognitoIdentityServiceProvider.${clientId}.dana.accessToken`), null);
    assert.equal(cachedDeviceKey(), deviceKey);

    // 3. The next sign-in proves the device instead of answering MFA.
    clock.advance(30_000);
    calls.length = 0;
    const secondUser = newUser();
    const second = await authenticate(secondUser);
    assert.equal(second.kind, 'signedIn', `expected tokens without an MFA callback, got ${second.kind}`);
    if (second.kind !== 'signedIn') return;
    assert.deepEqual(calls, [
      'InitiateAuth',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:DEVICE_SRP_AUTH',
      'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
    ]);
    assert.ok(second.session.isValid());
    const me = await c.anon.send(new GetUserCommand({ AccessToken: second.session.getAccessToken().getJwtToken() }));
    assert.equal(me.Username, 'dana');
    assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

    // 4. forgetDevice(): ForgetDevice on the server, the keys gone from Storage, and TOTP is asked again.
    await new Promise((resolve, reject) => secondUser.forgetDevice({ onSuccess: resolve, onFailure: reject }));
    assert.equal(cachedDeviceKey(), null);
    assert.deepEqual((await c.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dana' }))).Devices, []);
    secondUser.signOut();

    clock.advance(30_000);
    calls.length = 0;
    const third = newUser();
    assert.deepEqual(await authenticate(third), { kind: 'totpRequired', name: 'SOFTWARE_TOKEN_MFA' });
    assert.deepEqual(calls, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
    // Answering it hands out a new device, which the library confirms again.
    const again = await sendTotp(third, totp(secret));
    assert.ok(again.session.isValid());
    assert.ok(cachedDeviceKey());
    assert.notEqual(cachedDeviceKey(), deviceKey);
    // That device was confirmed but never remembered: it does not stand in for MFA.
    third.signOut();
    clock.advance(30_000);
    calls.length = 0;
    assert.deepEqual(await authenticate(newUser()), { kind: 'totpRequired', name: 'SOFTWARE_TOKEN_MFA' });
    assert.deepEqual(calls, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  });
});
