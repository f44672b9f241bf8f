import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  UpdateDeviceStatusCommand,
  type AuthenticationResultType,
  type DeviceType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { Secret, TOTP } from 'otpauth';
import { formatTimestamp } from '../src/crypto/srp.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { claim, largeA, newHelper, passwordKey, type AuthenticationHelper } from './helpers/srp-client.ts';

// Remembered devices through the AWS SDK: NewDeviceMetadata, ConfirmDevice and
// the device operations, and the device SRP challenges (DEVICE_SRP_AUTH,
// DEVICE_PASSWORD_VERIFIER) with the device's proof computed by
// amazon-cognito-identity-js's own AuthenticationHelper.

const PASSWORD = 'Passw0rd!';

/** What identity-js keeps for a confirmed device: its key, group key and random device password. */
interface DeviceSecret {
  key: string;
  group: string;
  password: string;
}

type DeviceHelper = AuthenticationHelper & {
  generateHashDevice(group: string, key: string, cb: (err: Error | null) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
};

/** The DeviceSecretVerifierConfig identity-js sends to ConfirmDevice, and the password it keeps. */
async function deviceVerifier(group: string, key: string): Promise<{ config: { PasswordVerifier: string; Salt: string }; password: string }> {
  const helper = newHelper(group) as DeviceHelper;
  await new Promise<void>((resolve, reject) => helper.generateHashDevice(group, key, (err) => (err ? reject(err) : resolve())));
  return {
    config: {
      Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    },
    password: helper.getRandomPassword(),
  };
}

const attr = (device: DeviceType | undefined, name: string) => device?.DeviceAttributes?.find((a) => a.Name === name)?.Value;

describe('remembered devices through the AWS SDK', () => {
  let c: Running;
  let poolId: string;
  let clientId: string;
  let plainPoolId: string;
  let plainClientId: string;
  before(async () => {
    c = await startCognate();
    poolId = (
      await c.admin.send(
        new CreateUserPoolCommand({ PoolName: 'devices', DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } }),
      )
    ).UserPool!.Id!;
    clientId = (
      await c.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    plainPoolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'no-devices' }))).UserPool!.Id!;
    plainClientId = (
      await c.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: plainPoolId,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
  });
  after(() => c.stop());

  const createUser = async (username: string, pool = poolId) => {
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: username, MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const passwordSignIn = (username: string, deviceKey?: string, client = clientId) =>
    c.anon.send(
      new InitiateAuthCommand({
        ClientId: client,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
      }),
    );
  const tokens = async (username: string, deviceKey?: string): Promise<AuthenticationResultType> => {
    const out = await passwordSignIn(username, deviceKey);
    assert.ok(out.AuthenticationResult, `expected tokens, got ${out.ChallengeName}`);
    return out.AuthenticationResult;
  };
  /** Signs in, confirms the new device with identity-js's verifier, optionally remembers it. */
  const confirmedDevice = async (username: string, remember: boolean): Promise<DeviceSecret & { accessToken: string }> => {
    const result = await tokens(username);
    const { DeviceKey, DeviceGroupKey } = result.NewDeviceMetadata!;
    const { config, password } = await deviceVerifier(DeviceGroupKey!, DeviceKey!);
    const confirmed = await c.anon.send(
      new ConfirmDeviceCommand({ AccessToken: result.AccessToken!, DeviceKey: DeviceKey!, DeviceSecretVerifierConfig: config, DeviceName: 'laptop' }),
    );
    assert.equal(confirmed.UserConfirmationNecessary, true);
    if (remember)
      await c.anon.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken!, DeviceKey: DeviceKey!, DeviceRememberedStatus: 'remembered' }));
    return { key: DeviceKey!, group: DeviceGroupKey!, password, accessToken: result.AccessToken! };
  };

  /** DEVICE_SRP_AUTH answered as identity-js's getDeviceResponse does; returns the DEVICE_PASSWORD_VERIFIER parameters and the key to sign with. */
  const deviceSrp = async (username: string, device: DeviceSecret, session: string) => {
    const helper = newHelper(device.group);
    const A = await largeA(helper);
    const step = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'DEVICE_SRP_AUTH',
        Session: session,
        ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.key, SRP_A: A.toString(16) },
      }),
    );
    assert.equal(step.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
    const p = step.ChallengeParameters!;
    const key = await passwordKey(helper, device.key, device.password, p['SRP_B']!, p['SALT']!);
    return { step, params: p, key, helper };
  };
  const verifyDevice = (username: string, device: DeviceSecret, secretBlock: string, signature: string, timestamp: string, session?: string) =>
    c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
        ...(session ? { Session: session } : {}),
        ChallengeResponses: {
          USERNAME: username,
          DEVICE_KEY: device.key,
          PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
          PASSWORD_CLAIM_SIGNATURE: signature,
          TIMESTAMP: timestamp,
        },
      }),
    );

  it('NewDeviceMetadata › a pool with DeviceConfiguration hands out a <region>_<uuid> DeviceKey and a DeviceGroupKey', async () => {
    await createUser('nina');
    const result = await tokens('nina');
    const region = poolId.split('_')[0]!;
    assert.match(result.NewDeviceMetadata?.DeviceKey ?? '', new RegExp(`^${region}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
    assert.match(result.NewDeviceMetadata?.DeviceGroupKey ?? '', /^-[A-Za-z0-9]{8}$/);
    // A key that was never confirmed is not a device yet.
    const listed = await c.anon.send(new ListDevicesCommand({ AccessToken: result.AccessToken! }));
    assert.deepEqual(listed.Devices, []);
  });

  it('NewDeviceMetadata › a pool without DeviceConfiguration hands out none', async () => {
    await createUser('oscar', plainPoolId);
    const out = await passwordSignIn('oscar', undefined, plainClientId);
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(out.AuthenticationResult?.NewDeviceMetadata, undefined);
  });

  it('ConfirmDevice › with DeviceOnlyRememberedOnUserPrompt the device is not_remembered until UpdateDeviceStatus remembers it', async () => {
    await createUser('paula');
    const device = await confirmedDevice('paula', false);
    const got = (await c.anon.send(new GetDeviceCommand({ AccessToken: device.accessToken, DeviceKey: device.key }))).Device;
    assert.equal(got?.DeviceKey, device.key);
    assert.equal(attr(got, 'device_status'), 'not_remembered');
    assert.equal(attr(got, 'device_name'), 'laptop');
    assert.match(attr(got, 'last_ip_used') ?? '', /127\.0\.0\.1/);
    assert.ok(got?.DeviceCreateDate instanceof Date && got.DeviceLastModifiedDate instanceof Date && got.DeviceLastAuthenticatedDate instanceof Date);
    await c.anon.send(new UpdateDeviceStatusCommand({ AccessToken: device.accessToken, DeviceKey: device.key, DeviceRememberedStatus: 'remembered' }));
    const again = (await c.anon.send(new GetDeviceCommand({ AccessToken: device.accessToken, DeviceKey: device.key }))).Device;
    assert.equal(attr(again, 'device_status'), 'remembered');
  });

  it('ConfirmDevice › without DeviceOnlyRememberedOnUserPrompt the device is remembered at once (UserConfirmationNecessary false)', async () => {
    const pool = (
      await c.admin.send(
        new CreateUserPoolCommand({ PoolName: 'always', DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } }),
      )
    ).UserPool!.Id!;
    const client = (
      await c.admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      )
    ).UserPoolClient!.ClientId!;
    await createUser('quinn', pool);
    const result = (await passwordSignIn('quinn', undefined, client)).AuthenticationResult!;
    const { config } = await deviceVerifier(result.NewDeviceMetadata!.DeviceGroupKey!, result.NewDeviceMetadata!.DeviceKey!);
    const confirmed = await c.anon.send(
      new ConfirmDeviceCommand({ AccessToken: result.AccessToken!, DeviceKey: result.NewDeviceMetadata!.DeviceKey!, DeviceSecretVerifierConfig: config }),
    );
    assert.equal(confirmed.UserConfirmationNecessary, false);
    const got = (await c.admin.send(new AdminGetDeviceCommand({ UserPoolId: pool, Username: 'quinn', DeviceKey: result.NewDeviceMetadata!.DeviceKey! })))
      .Device;
    assert.equal(attr(got, 'device_status'), 'remembered');
  });

  it('ConfirmDevice › refuses a key never issued (ResourceNotFoundException), another user’s key, a second confirmation, and a malformed verifier', async () => {
    await createUser('rita');
    await createUser('sam');
    const rita = await tokens('rita');
    const sam = await tokens('sam');
    const { config } = await deviceVerifier(rita.NewDeviceMetadata!.DeviceGroupKey!, rita.NewDeviceMetadata!.DeviceKey!);
    const region = poolId.split('_')[0]!;
    await assert.rejects(
      c.anon.send(
        new ConfirmDeviceCommand({
          AccessToken: rita.AccessToken!,
          DeviceKey: `${region}_00000000-0000-4000-8000-000000000000`,
          DeviceSecretVerifierConfig: config,
        }),
      ),
      { name: 'ResourceNotFoundException', message: 'Device does not exist.' },
    );
    await assert.rejects(
      c.anon.send(
        new ConfirmDeviceCommand({ AccessToken: sam.AccessToken!, DeviceKey: rita.NewDeviceMetadata!.DeviceKey!, DeviceSecretVerifierConfig: config }),
      ),
      {
        name: 'ResourceNotFoundException',
        message: 'Device does not exist.',
      },
    );
    await assert.rejects(
      c.anon.send(
        new ConfirmDeviceCommand({
          AccessToken: rita.AccessToken!,
          DeviceKey: rita.NewDeviceMetadata!.DeviceKey!,
          DeviceSecretVerifierConfig: { PasswordVerifier: 'not base64!', Salt: config.Salt },
        }),
      ),
      { name: 'InvalidParameterException', message: 'Invalid DeviceSecretVerifierConfig.' },
    );
    await assert.rejects(
      c.anon.send(
        new ConfirmDeviceCommand({
          AccessToken: rita.AccessToken!,
          DeviceKey: rita.NewDeviceMetadata!.DeviceKey!,
          DeviceSecretVerifierConfig: { PasswordVerifier: 'AQ==', Salt: config.Salt },
        }),
      ),
      { name: 'InvalidParameterException', message: 'Invalid DeviceSecretVerifierConfig.' },
    );
    // Nothing half-written: the refused attempts left the key confirmable.
    const ok = await c.anon.send(
      new ConfirmDeviceCommand({ AccessToken: rita.AccessToken!, DeviceKey: rita.NewDeviceMetadata!.DeviceKey!, DeviceSecretVerifierConfig: config }),
    );
    assert.equal(ok.UserConfirmationNecessary, true);
    await assert.rejects(
      c.anon.send(
        new ConfirmDeviceCommand({ AccessToken: rita.AccessToken!, DeviceKey: rita.NewDeviceMetadata!.DeviceKey!, DeviceSecretVerifierConfig: config }),
      ),
      {
        name: 'NotAuthorizedException',
        message: 'Device has already been confirmed.',
      },
    );
  });

  it('GetDevice / UpdateDeviceStatus / ForgetDevice › another user’s device answers as an unknown one', async () => {
    await createUser('tara');
    await createUser('uma');
    const tara = await confirmedDevice('tara', true);
    const uma = await tokens('uma');
    const notFound = { name: 'ResourceNotFoundException', message: 'Device does not exist.' };
    await assert.rejects(c.anon.send(new GetDeviceCommand({ AccessToken: uma.AccessToken!, DeviceKey: tara.key })), notFound);
    await assert.rejects(
      c.anon.send(new UpdateDeviceStatusCommand({ AccessToken: uma.AccessToken!, DeviceKey: tara.key, DeviceRememberedStatus: 'not_remembered' })),
      notFound,
    );
    await assert.rejects(c.anon.send(new ForgetDeviceCommand({ AccessToken: uma.AccessToken!, DeviceKey: tara.key })), notFound);
    await assert.rejects(c.admin.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'uma', DeviceKey: tara.key })), notFound);
    assert.equal(attr((await c.anon.send(new GetDeviceCommand({ AccessToken: tara.accessToken, DeviceKey: tara.key }))).Device, 'device_status'), 'remembered');
  });

  it('ListDevices › pages with Limit and a sealed PaginationToken that cannot be edited or used for another user', async () => {
    await createUser('vera');
    await createUser('walt');
    const first = await confirmedDevice('vera', false);
    const second = await confirmedDevice('vera', true);
    const page1 = await c.anon.send(new ListDevicesCommand({ AccessToken: second.accessToken, Limit: 1 }));
    assert.deepEqual(
      page1.Devices?.map((d) => d.DeviceKey),
      [first.key],
    );
    assert.ok(page1.PaginationToken);
    const page2 = await c.anon.send(new ListDevicesCommand({ AccessToken: second.accessToken, Limit: 1, PaginationToken: page1.PaginationToken }));
    assert.deepEqual(
      page2.Devices?.map((d) => d.DeviceKey),
      [second.key],
    );
    assert.equal(page2.PaginationToken, undefined);
    const all = await c.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'vera' }));
    assert.deepEqual(
      all.Devices?.map((d) => [d.DeviceKey, attr(d, 'device_status')]),
      [
        [first.key, 'not_remembered'],
        [second.key, 'remembered'],
      ],
    );
    const tampered = page1.PaginationToken!.slice(0, -2) + (page1.PaginationToken!.endsWith('A') ? 'BB' : 'AA');
    await assert.rejects(c.anon.send(new ListDevicesCommand({ AccessToken: second.accessToken, PaginationToken: tampered })), {
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
    const walt = await tokens('walt');
    await assert.rejects(c.anon.send(new ListDevicesCommand({ AccessToken: walt.AccessToken!, PaginationToken: page1.PaginationToken })), {
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
  });

  it('Admin device operations › AdminUpdateDeviceStatus, AdminForgetDevice; a forgotten device is gone for GetDevice and ListDevices', async () => {
    await createUser('xena');
    const device = await confirmedDevice('xena', false);
    await c.admin.send(
      new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'xena', DeviceKey: device.key, DeviceRememberedStatus: 'remembered' }),
    );
    assert.equal(
      attr((await c.admin.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'xena', DeviceKey: device.key }))).Device, 'device_status'),
      'remembered',
    );
    await c.admin.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'xena', DeviceKey: device.key }));
    await assert.rejects(c.anon.send(new GetDeviceCommand({ AccessToken: device.accessToken, DeviceKey: device.key })), {
      name: 'ResourceNotFoundException',
      message: 'Device does not exist.',
    });
    assert.deepEqual((await c.anon.send(new ListDevicesCommand({ AccessToken: device.accessToken }))).Devices, []);
    await assert.rejects(c.admin.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'xena', DeviceKey: device.key })), {
      name: 'ResourceNotFoundException',
      message: 'Device does not exist.',
    });
    // A forgotten device's key no longer names a device: the next sign-in gets a fresh one.
    const next = await tokens('xena', device.key);
    assert.ok(next.NewDeviceMetadata?.DeviceKey);
    assert.notEqual(next.NewDeviceMetadata?.DeviceKey, device.key);
  });

  it('ForgetDevice › the user forgets their own device', async () => {
    await createUser('yuri');
    const device = await confirmedDevice('yuri', true);
    await c.anon.send(new ForgetDeviceCommand({ AccessToken: device.accessToken, DeviceKey: device.key }));
    await assert.rejects(c.anon.send(new GetDeviceCommand({ AccessToken: device.accessToken, DeviceKey: device.key })), {
      name: 'ResourceNotFoundException',
      message: 'Device does not exist.',
    });
    // Signing in with it now goes straight to tokens: no device challenge for a forgotten device.
    const out = await passwordSignIn('yuri', device.key);
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(out.ChallengeName, undefined);
  });

  it('device SRP › a remembered device’s DEVICE_KEY leads to DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER, then tokens without new device metadata', async () => {
    await createUser('zoe');
    const device = await confirmedDevice('zoe', true);
    const first = await passwordSignIn('zoe', device.key);
    assert.equal(first.ChallengeName, 'DEVICE_SRP_AUTH');
    assert.deepEqual(first.ChallengeParameters, { USERNAME: 'zoe', DEVICE_KEY: device.key });
    assert.ok(first.Session);
    const { params, key, step } = await deviceSrp('zoe', device, first.Session!);
    assert.equal(params['USERNAME'], 'zoe');
    assert.equal(params['DEVICE_KEY'], device.key);
    assert.match(params['SRP_B']!, /^[0-9a-f]+$/);
    assert.match(params['SALT']!, /^[0-9a-f]+$/);
    const timestamp = formatTimestamp(Date.now());
    const signature = claim(key, device.group, device.key, params['SECRET_BLOCK']!, timestamp);
    const done = await verifyDevice('zoe', device, params['SECRET_BLOCK']!, signature, timestamp, step.Session);
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.equal(done.AuthenticationResult?.NewDeviceMetadata, undefined);
    const got = (await c.admin.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'zoe', DeviceKey: device.key }))).Device;
    assert.ok(got?.DeviceLastAuthenticatedDate);
    // The proof is single-use: sending it again fails.
    await assert.rejects(verifyDevice('zoe', device, params['SECRET_BLOCK']!, signature, timestamp), {
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('device SRP › a wrong device proof is NotAuthorizedException "Incorrect username or password."', async () => {
    await createUser('adam');
    const device = await confirmedDevice('adam', true);
    const first = await passwordSignIn('adam', device.key);
    // The device password is wrong: the derived key, and so the signature, is not the device's.
    const { params, key: wrongKey } = await deviceSrp('adam', { ...device, password: 'not-the-device-password' }, first.Session!);
    const timestamp = formatTimestamp(Date.now());
    await assert.rejects(
      verifyDevice('adam', device, params['SECRET_BLOCK']!, claim(wrongKey, device.group, device.key, params['SECRET_BLOCK']!, timestamp), timestamp),
      {
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      },
    );
  });

  it('device SRP › DEVICE_SRP_AUTH needs the Session of this sign-in, once, and the device it named', async () => {
    await createUser('bella');
    const device = await confirmedDevice('bella', true);
    const first = await passwordSignIn('bella', device.key);
    const A = (await largeA(newHelper(device.group))).toString(16);
    const respond = (session: string | undefined, responses: Record<string, string>) =>
      c.anon.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_SRP_AUTH',
          ...(session ? { Session: session } : {}),
          ChallengeResponses: responses,
        }),
      );
    await assert.rejects(respond(undefined, { USERNAME: 'bella', DEVICE_KEY: device.key, SRP_A: A }), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter Session',
    });
    await assert.rejects(respond(first.Session, { USERNAME: 'bella', DEVICE_KEY: device.key }), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter SRP_A',
    });
    const region = poolId.split('_')[0]!;
    await assert.rejects(respond(first.Session, { USERNAME: 'bella', DEVICE_KEY: `${region}_00000000-0000-4000-8000-000000000000`, SRP_A: A }), {
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    // The session was used by the refused answer above: it cannot be used again.
    await assert.rejects(respond(first.Session, { USERNAME: 'bella', DEVICE_KEY: device.key, SRP_A: A }), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('device SRP › a not_remembered device signs in without a device challenge and without new device metadata', async () => {
    await createUser('carl');
    const device = await confirmedDevice('carl', false);
    const out = await passwordSignIn('carl', device.key);
    assert.equal(out.ChallengeName, undefined);
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(out.AuthenticationResult?.NewDeviceMetadata, undefined);
  });

  it('device SRP › with TOTP MFA on, a remembered device signs in without the SOFTWARE_TOKEN_MFA challenge that a sign-in without it gets', async () => {
    await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await createUser('finn');
    const device = await confirmedDevice('finn', true);
    const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: device.accessToken }));
    const code = new TOTP({ secret: Secret.fromBase32(SecretCode!), digits: 6, period: 30 }).generate();
    await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: device.accessToken, UserCode: code, FriendlyDeviceName: 'phone' }));
    await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: device.accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

    const withoutDevice = await passwordSignIn('finn');
    assert.equal(withoutDevice.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const withDevice = await passwordSignIn('finn', device.key);
    assert.equal(withDevice.ChallengeName, 'DEVICE_SRP_AUTH');
    const { params, key, step } = await deviceSrp('finn', device, withDevice.Session!);
    const timestamp = formatTimestamp(Date.now());
    const done = await verifyDevice(
      'finn',
      device,
      params['SECRET_BLOCK']!,
      claim(key, device.group, device.key, params['SECRET_BLOCK']!, timestamp),
      timestamp,
      step.Session,
    );
    assert.equal(done.ChallengeName, undefined);
    assert.ok(done.AuthenticationResult?.AccessToken, 'tokens without an MFA code');
    await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF' }));
  });

  it('storage › the device verifier is sealed at rest, and a deleted user’s devices go with them', async () => {
    await createUser('dora');
    const result = await tokens('dora');
    const { config } = await deviceVerifier(result.NewDeviceMetadata!.DeviceGroupKey!, result.NewDeviceMetadata!.DeviceKey!);
    await c.anon.send(
      new ConfirmDeviceCommand({ AccessToken: result.AccessToken!, DeviceKey: result.NewDeviceMetadata!.DeviceKey!, DeviceSecretVerifierConfig: config }),
    );
    const row = await c.deps.store.db
      .selectFrom('devices')
      .selectAll()
      .where('device_key', '=', result.NewDeviceMetadata!.DeviceKey!)
      .executeTakeFirstOrThrow();
    const verifierHex = Buffer.from(config.PasswordVerifier, 'base64').toString('hex');
    const sealed = row.verifier_sealed ?? '';
    assert.ok(sealed.startsWith('v2.'), 'sealed with the master key');
    assert.ok(!sealed.includes(config.PasswordVerifier) && !sealed.includes(verifierHex.slice(0, 32)), 'the verifier is not stored in the clear');
    await c.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'dora' }));
    const left = await c.deps.store.db.selectFrom('devices').select('device_key').where('sub', '=', row.sub).execute();
    assert.deepEqual(left, []);
  });
});

// amazon-cognito-identity-js, unmodified: authenticateUser confirms the new
// device itself (ConfirmDevice with its own verifier), setDeviceStatusRemembered
// remembers it, and the next authenticateUser of the same user in the same
// storage sends the DEVICE_KEY and answers DEVICE_SRP_AUTH through
// getDeviceResponse. Every request the library makes is recorded.
describe('remembered devices through amazon-cognito-identity-js', () => {
  let c: Running;
  let poolId: string;
  let pool: CognitoUserPool;
  const calls: string[] = [];
  before(async () => {
    c = await startCognate();
    poolId = (
      await c.admin.send(
        new CreateUserPoolCommand({
          PoolName: 'identity-js-devices',
          DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
        }),
      )
    ).UserPool!.Id!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: client.UserPoolClient!.ClientId!, endpoint: c.url });
    const transport = (pool as unknown as { client: { request(op: string, params: { ChallengeName?: string }, cb: unknown): void } }).client;
    const request = transport.request.bind(transport);
    transport.request = (op, params, cb) => {
      calls.push(params.ChallengeName ? `${op}:${params.ChallengeName}` : op);
      request(op, params, cb);
    };
  });
  after(() => c.stop());

  const signIn = (username: string) =>
    new Promise<{ session: CognitoUserSession; userConfirmationNecessary: boolean | undefined; user: CognitoUser }>((resolve, reject) => {
      const user = new CognitoUser({ Username: username, Pool: pool });
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), {
        onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary, user }),
        onFailure: reject,
      });
    });

  it('authenticateUser › confirms the device, setDeviceStatusRemembered remembers it, and the next sign-in passes DEVICE_SRP_AUTH', async () => {
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'erin', Password: PASSWORD, Permanent: true }));

    const first = await signIn('erin');
    assert.ok(first.session.isValid());
    assert.equal(first.userConfirmationNecessary, true, 'DeviceOnlyRememberedOnUserPrompt: the user is to be asked');
    assert.deepEqual(calls, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
    await new Promise((resolve, reject) => first.user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));
    const listed = await c.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'erin' }));
    assert.equal(listed.Devices?.length, 1);
    assert.equal(attr(listed.Devices?.[0], 'device_status'), 'remembered');
    first.user.signOut();

    calls.length = 0;
    const second = await signIn('erin');
    assert.ok(second.session.isValid());
    assert.equal(second.session.getAccessToken().decodePayload()['username'], 'erin');
    assert.deepEqual(calls, [
      'InitiateAuth',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:DEVICE_SRP_AUTH',
      'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
    ]);
    // The same device, now with a last authentication: no second device was made.
    const after = await c.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'erin' }));
    assert.deepEqual(
      after.Devices?.map((d) => d.DeviceKey),
      listed.Devices?.map((d) => d.DeviceKey),
    );
    assert.ok(after.Devices?.[0]?.DeviceLastAuthenticatedDate);
  });
});
