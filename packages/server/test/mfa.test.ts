import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type InitiateAuthCommandOutput,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createConfirmedUser, createPoolAndClient, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { SMS_CONFIG, startSmsWebhook, type SmsWebhook } from './helpers/sms.ts';
import { totpCode } from './helpers/totp.ts';

const WEBHOOK_SECRET = 'test-webhook-secret';

const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 5));
let c: Running;
let seq = 0;

// A webhook receiver standing in for the operator's SMS gateway; it checks each call's signature.
let sms: SmsWebhook;
const nextSms = (to: string) => sms.nextSms(to);

/** The TOTP code an authenticator app shows for `secret` at the server's (fake) time. */
const totp = (secret: string, at = clock.now()) => totpCode(secret, at);

async function newPool(mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>) {
  const { poolId, clientId } = await createPoolAndClient(c, {
    pool: { PoolName: 'mfa', ...(mfa.SmsMfaConfiguration ? { SmsConfiguration: SMS_CONFIG } : {}) },
    mfa,
  });
  return { poolId, clientId };
}

async function newUser(poolId: string, opts: { phone?: boolean } = {}) {
  const username = `user${++seq}`;
  const email = `${username}@example.com`;
  const phone = `+1555000${String(1000 + seq)}`;
  await createConfirmedUser(c, poolId, username, {
    password: PASSWORD,
    attributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
      ...(opts.phone
        ? [
            { Name: 'phone_number', Value: phone },
            { Name: 'phone_number_verified', Value: 'true' },
          ]
        : []),
    ],
  });
  return { username, email, phone };
}

const signIn = (clientId: string, username: string, password = PASSWORD) => passwordSignIn(c, clientId, username, password);

const respond = (clientId: string, out: { ChallengeName?: string | undefined; Session?: string | undefined }, responses: Record<string, string>) =>
  c.anon.send(
    new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: out.ChallengeName as never, Session: out.Session, ChallengeResponses: responses }),
  );

/** Signs in without MFA (pool OPTIONAL, nothing enabled yet) and returns the access token. */
async function accessTokenOf(clientId: string, username: string): Promise<string> {
  const out = await signIn(clientId, username);
  assert.ok(out.AuthenticationResult, 'signed in without a challenge');
  return out.AuthenticationResult.AccessToken!;
}

/** Associates and verifies an authenticator through an access token; returns its secret. */
async function enrolTotp(clientId: string, username: string): Promise<string> {
  const token = await accessTokenOf(clientId, username);
  const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
  assert.match(SecretCode!, /^[A-Z2-7]{32}$/);
  const ok = await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totp(SecretCode!), FriendlyDeviceName: 'phone app' }));
  assert.equal(ok.Status, 'SUCCESS');
  await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  clock.advance(30_000); // the enrolment code's step is used up
  return SecretCode!;
}

before(async () => {
  sms = await startSmsWebhook(WEBHOOK_SECRET);
  c = await startCognate({ clock, config: { smsWebhookUrl: sms.url, smsWebhookSecret: WEBHOOK_SECRET } });
});

after(async () => {
  await c.stop();
  await sms.close();
});

describe('software token (TOTP) MFA', () => {
  it('enrols with an access token, refuses a wrong verification code, and reports the factor in GetUser and AdminGetUser', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const { username } = await newUser(poolId);
    const token = await accessTokenOf(clientId, username);
    const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    const wrong = totp(SecretCode!) === '000000' ? '111111' : '000000';
    await assert.rejects(c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: wrong })), {
      name: 'EnableSoftwareTokenMFAException',
      message: 'Code mismatch and fail enable Software Token MFA',
    });
    // Turning TOTP on before an authenticator is verified is refused.
    await assert.rejects(c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true } })), {
      name: 'InvalidParameterException',
      message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    });
    assert.equal((await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totp(SecretCode!) }))).Status, 'SUCCESS');
    let me = await c.anon.send(new GetUserCommand({ AccessToken: token }));
    assert.equal(me.UserMFASettingList, undefined, 'verified, not yet enabled');
    await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    me = await c.anon.send(new GetUserCommand({ AccessToken: token }));
    assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    const admin = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual(admin.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(admin.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
  });

  it('challenges sign-in with SOFTWARE_TOKEN_MFA; a wrong code fails, the right one gives tokens, and the session is single use', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const { username } = await newUser(poolId);
    const secret = await enrolTotp(clientId, username);
    const out = await signIn(clientId, username);
    assert.equal(out.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(out.ChallengeParameters?.['FRIENDLY_DEVICE_NAME'], 'phone app');
    assert.equal(out.AuthenticationResult, undefined);
    const code = totp(secret);
    const wrong = code === '123456' ? '654321' : '123456';
    await assert.rejects(respond(clientId, out, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: wrong }), {
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    const done = await respond(clientId, out, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code });
    assert.ok(done.AuthenticationResult?.AccessToken);
    await assert.rejects(respond(clientId, out, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code }), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('accepts each code once: a replay in its window fails in a new sign-in, the next step works, and one step of skew is allowed', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const { username } = await newUser(poolId);
    const secret = await enrolTotp(clientId, username);
    const code = totp(secret);
    assert.ok((await respond(clientId, await signIn(clientId, username), { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code })).AuthenticationResult);
    await assert.rejects(respond(clientId, await signIn(clientId, username), { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code }), {
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    clock.advance(30_000);
    // The previous step's code (one step of skew) is still inside the window but already used; the current one works.
    assert.ok((await respond(clientId, await signIn(clientId, username), { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(secret) })).AuthenticationResult);
    clock.advance(30_000);
    // A code for the next step (an authenticator whose clock runs one step ahead) is accepted.
    const skewed = totp(secret, clock.now() + 30_000);
    assert.ok((await respond(clientId, await signIn(clientId, username), { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: skewed })).AuthenticationResult);
    clock.advance(90_000);
    const stale = totp(secret, clock.now() - 90_000);
    await assert.rejects(respond(clientId, await signIn(clientId, username), { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: stale }), {
      name: 'CodeMismatchException',
    });
  });

  it('locks the user after five wrong codes, as for passwords', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const { username } = await newUser(poolId);
    const secret = await enrolTotp(clientId, username);
    const out = await signIn(clientId, username);
    const wrong = totp(secret) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await assert.rejects(respond(clientId, out, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: wrong }), { name: 'CodeMismatchException' });
    await assert.rejects(respond(clientId, out, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(secret) }), {
      name: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
    await assert.rejects(signIn(clientId, username), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
  });
});

describe('MFA required (ON)', () => {
  it('sends a user without a factor through MFA_SETUP: associate and verify with the Session, then the sign-in completes; the next sign-in is challenged', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const { username } = await newUser(poolId);
    const out = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    assert.equal(out.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(out.ChallengeParameters!['MFAS_CAN_SETUP']!), ['SOFTWARE_TOKEN_MFA']);
    // Answering before setting anything up does not get tokens.
    await assert.rejects(
      c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'MFA_SETUP',
          Session: out.Session,
          ChallengeResponses: { USERNAME: username },
        }),
      ),
      { name: 'NotAuthorizedException', message: 'Invalid session for the user.' },
    );
    const assoc = await c.anon.send(new AssociateSoftwareTokenCommand({ Session: out.Session }));
    assert.ok(assoc.Session && assoc.Session !== out.Session);
    // The Session it replaced is spent.
    await assert.rejects(c.anon.send(new AssociateSoftwareTokenCommand({ Session: out.Session })), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    const verified = await c.anon.send(
      new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totp(assoc.SecretCode!), FriendlyDeviceName: 'laptop' }),
    );
    assert.equal(verified.Status, 'SUCCESS');
    assert.ok(verified.Session);
    const done = await c.admin.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'MFA_SETUP',
        Session: verified.Session,
        ChallengeResponses: { USERNAME: username },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    clock.advance(30_000);
    const again = await signIn(clientId, username);
    assert.equal(again.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.ok((await respond(clientId, again, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(assoc.SecretCode!) })).AuthenticationResult);
  });

  it('sends an EMAIL_OTP straight away to a user with a verified email when the pool offers email MFA', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'ON', EmailMfaConfiguration: { Message: 'Your code: {####}', Subject: 'Sign-in code' } });
    const { username, email } = await newUser(poolId);
    const out = await signIn(clientId, username);
    assert.equal(out.ChallengeName, 'EMAIL_OTP');
    assert.deepEqual(out.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: `${email[0]}***@e***` });
    const code = await c.inbox.nextCode(email);
    assert.ok((await respond(clientId, out, { USERNAME: username, EMAIL_OTP_CODE: code })).AuthenticationResult?.IdToken);
  });
});

describe('after a new password', () => {
  it('an invited user sets a password (NEW_PASSWORD_REQUIRED) and is then challenged for MFA', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'ON', EmailMfaConfiguration: {} });
    const username = `invited${++seq}`;
    const email = `${username}@example.com`;
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: 'Temp0rary!x',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const first = await signIn(clientId, username, 'Temp0rary!x');
    assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const mfa = await respond(clientId, first, { USERNAME: username, NEW_PASSWORD: PASSWORD });
    assert.equal(mfa.ChallengeName, 'EMAIL_OTP');
    assert.equal(mfa.AuthenticationResult, undefined);
    assert.ok((await respond(clientId, mfa, { USERNAME: username, EMAIL_OTP_CODE: await c.inbox.nextCode(email) })).AuthenticationResult);
  });
});

describe('email and SMS codes', () => {
  it('binds an email code to the sign-in that requested it: it fails in another sign-in', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} });
    const { username, email } = await newUser(poolId);
    await c.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, EmailMfaSettings: { Enabled: true } }));
    const first = await signIn(clientId, username);
    assert.equal(first.ChallengeName, 'EMAIL_OTP');
    const firstCode = await c.inbox.nextCode(email);
    const second = await signIn(clientId, username);
    const secondCode = await c.inbox.nextCode(email);
    if (firstCode !== secondCode) {
      await assert.rejects(respond(clientId, second, { USERNAME: username, EMAIL_OTP_CODE: firstCode }), {
        name: 'CodeMismatchException',
        message: 'Invalid code or auth state for the user.',
      });
    }
    assert.ok((await respond(clientId, second, { USERNAME: username, EMAIL_OTP_CODE: secondCode })).AuthenticationResult);
    // The first sign-in's own code still answers its own Session.
    assert.ok((await respond(clientId, first, { USERNAME: username, EMAIL_OTP_CODE: firstCode })).AuthenticationResult);
  });

  it('sends SMS_MFA codes to the webhook, signed with HMAC-SHA256, to the verified phone number', async () => {
    const { poolId, clientId } = await newPool({
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: SMS_CONFIG },
    });
    const { username, phone } = await newUser(poolId, { phone: true });
    await c.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const out = await signIn(clientId, username);
    assert.equal(out.ChallengeName, 'SMS_MFA');
    assert.equal(out.ChallengeParameters?.['CODE_DELIVERY_DELIVERY_MEDIUM'], 'SMS');
    assert.equal(out.ChallengeParameters?.['CODE_DELIVERY_DESTINATION'], `+*******${phone.slice(-4)}`);
    const code = await nextSms(phone);
    assert.ok((await respond(clientId, out, { USERNAME: username, SMS_MFA_CODE: code })).AuthenticationResult);
  });

  it('refuses SMS MFA without a verified phone number, and a preferred factor that is not enabled', async () => {
    const { poolId } = await newPool({ MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIG }, EmailMfaConfiguration: {} });
    const { username } = await newUser(poolId);
    await assert.rejects(c.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } })), {
      name: 'InvalidParameterException',
      message: 'User does not have delivery config set to turn on SMS_MFA',
    });
    await assert.rejects(
      c.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, EmailMfaSettings: { Enabled: false, PreferredMfa: true } })),
      {
        name: 'InvalidParameterException',
        message: 'Cannot set EMAIL_OTP as the preferred MFA method while it is disabled.',
      },
    );
    const u = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(u.UserMFASettingList, undefined, 'nothing was half-written');
  });

  it('offers SELECT_MFA_TYPE when several factors are enabled and none preferred, then challenges the chosen one', async () => {
    const { poolId, clientId } = await newPool({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIG },
    });
    const { username, phone } = await newUser(poolId, { phone: true });
    const secret = await enrolTotp(clientId, username);
    await c.admin.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: username,
        SMSMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    const out = await signIn(clientId, username);
    assert.equal(out.ChallengeName, 'SELECT_MFA_TYPE');
    assert.deepEqual(JSON.parse(out.ChallengeParameters!['MFAS_CAN_CHOOSE']!), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    await assert.rejects(respond(clientId, out, { USERNAME: username, ANSWER: 'EMAIL_OTP' }), { name: 'InvalidParameterException' });
    const chosen = await respond(clientId, out, { USERNAME: username, ANSWER: 'SOFTWARE_TOKEN_MFA' });
    assert.equal(chosen.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.ok((await respond(clientId, chosen, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(secret) })).AuthenticationResult);
    const viaSms = await respond(clientId, await signIn(clientId, username), { USERNAME: username, ANSWER: 'SMS_MFA' });
    assert.equal(viaSms.ChallengeName, 'SMS_MFA');
    assert.ok((await respond(clientId, viaSms, { USERNAME: username, SMS_MFA_CODE: await nextSms(phone) })).AuthenticationResult);
  });
});

describe('password recovery', () => {
  it('does not bypass MFA: after ConfirmForgotPassword the next sign-in is still challenged', async () => {
    const { poolId, clientId } = await newPool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const { username, email } = await newUser(poolId);
    await enrolTotp(clientId, username);
    await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    const code = await c.inbox.nextCode(email);
    const result = await c.anon.send(
      new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: 'N3w-Passw0rd!' }),
    );
    assert.equal((result as { AuthenticationResult?: unknown }).AuthenticationResult, undefined);
    const out: InitiateAuthCommandOutput = await signIn(clientId, username, 'N3w-Passw0rd!');
    assert.equal(out.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(out.AuthenticationResult, undefined);
  });
});
