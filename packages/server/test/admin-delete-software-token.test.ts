import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminDeleteSoftwareTokenCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createConfirmedUser, createPoolAndClient, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { SMS_CONFIG, startSmsWebhook, type SmsWebhook } from './helpers/sms.ts';
import { totpCode } from './helpers/totp.ts';

const WEBHOOK_SECRET = 'test-webhook-secret';

describe('AdminDeleteSoftwareToken', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 5));
  let c: Running;
  let sms: SmsWebhook;
  let seq = 0;
  before(async () => {
    sms = await startSmsWebhook(WEBHOOK_SECRET);
    c = await startCognate({ clock, config: { smsWebhookUrl: sms.url, smsWebhookSecret: WEBHOOK_SECRET } });
  });
  after(async () => {
    await c.stop();
    await sms.close();
  });

  const totp = (secret: string) => totpCode(secret, clock.now());

  async function newUser(poolId: string, phone = false) {
    const username = `user${++seq}`;
    await createConfirmedUser(c, poolId, username, {
      password: PASSWORD,
      attributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
        ...(phone
          ? [
              { Name: 'phone_number', Value: `+1555000${1000 + seq}` },
              { Name: 'phone_number_verified', Value: 'true' },
            ]
          : []),
      ],
    });
    return username;
  }

  /** Signs in (the pool's MFA OPTIONAL), verifies an authenticator and makes it the preferred factor; returns its secret. */
  async function enrolTotp(clientId: string, username: string): Promise<string> {
    const token = (await passwordSignIn(c, clientId, username)).AuthenticationResult!.AccessToken!;
    const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    assert.equal((await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totp(SecretCode!) }))).Status, 'SUCCESS');
    await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    clock.advance(30_000);
    return SecretCode!;
  }

  const factors = async (poolId: string, username: string) => {
    const u = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return { list: u.UserMFASettingList, preferred: u.PreferredMfaSetting };
  };

  it('removes the TOTP factor and its preference: the next sign-in of an OPTIONAL pool is not challenged, and a new authenticator can be registered', async () => {
    const { poolId, clientId } = await createPoolAndClient(c, { mfa: { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } } });
    const username = await newUser(poolId);
    await enrolTotp(clientId, username);
    assert.equal((await passwordSignIn(c, clientId, username)).ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.deepEqual(await factors(poolId, username), { list: ['SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA' });

    await c.admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual(await factors(poolId, username), { list: undefined, preferred: undefined });
    const out = await passwordSignIn(c, clientId, username);
    assert.equal(out.ChallengeName, undefined);
    const token = out.AuthenticationResult!.AccessToken!;
    // Turning TOTP back on needs a new authenticator...
    await assert.rejects(c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true } })), {
      name: 'InvalidParameterException',
      message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    });
    // ...which the user registers as usual.
    const fresh = await enrolTotp(clientId, username);
    const challenged = await passwordSignIn(c, clientId, username);
    assert.equal(challenged.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const done = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenged.Session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(fresh) },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);

    // Nothing to delete: still success.
    await c.admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
    await c.admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual(await factors(poolId, username), { list: undefined, preferred: undefined });
  });

  it('in a pool that requires MFA, a user left with no factor is sent through MFA_SETUP at the next sign-in', async () => {
    const { poolId, clientId } = await createPoolAndClient(c, { mfa: { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } } });
    const username = await newUser(poolId);
    await enrolTotp(clientId, username);
    await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    assert.equal((await passwordSignIn(c, clientId, username)).ChallengeName, 'SOFTWARE_TOKEN_MFA');

    await c.admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
    const out = await passwordSignIn(c, clientId, username);
    assert.equal(out.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(out.ChallengeParameters!['MFAS_CAN_SETUP']!), ['SOFTWARE_TOKEN_MFA']);
  });

  it('in a pool that requires MFA, a user who also has SMS MFA is challenged with SMS instead, and the SMS factor stays', async () => {
    const { poolId, clientId } = await createPoolAndClient(c, {
      pool: { PoolName: 'mfa', SmsConfiguration: SMS_CONFIG },
      mfa: { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIG } },
    });
    const username = await newUser(poolId, true);
    await enrolTotp(clientId, username);
    await c.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } }));
    await c.admin.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIG },
      }),
    );
    assert.equal((await passwordSignIn(c, clientId, username)).ChallengeName, 'SOFTWARE_TOKEN_MFA');

    await c.admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual((await factors(poolId, username)).list, ['SMS_MFA']);
    const out = await passwordSignIn(c, clientId, username);
    assert.equal(out.ChallengeName, 'SMS_MFA');
  });

  it('answers UserNotFoundException for an unknown user and ResourceNotFoundException for an unknown pool', async () => {
    const { poolId } = await createPoolAndClient(c);
    await assert.rejects(c.admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: 'nobody' })), { name: 'UserNotFoundException' });
    await assert.rejects(c.admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: 'us-east-1_nope', Username: 'nobody' })), {
      name: 'ResourceNotFoundException',
    });
  });
});
