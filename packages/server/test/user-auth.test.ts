import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminGetUserAuthFactorsCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  CreateUserPoolClientCommand,
  GetUserAuthFactorsCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { formatTimestamp } from '../src/crypto/srp.ts';
import { FakeClock } from '../src/services/clock.ts';
import { createConfirmedUser, createPoolAndClient, PASSWORD } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { SMS_CONFIG, startSmsWebhook, type SmsWebhook } from './helpers/sms.ts';
import { claim, largeA, newHelper, passwordKey, poolNameOf } from './helpers/srp-client.ts';

const WRONG = 'Wr0ng!pass';
const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 5));
let c: Running;
let seq = 0;

// A webhook receiver standing in for the operator's SMS gateway.
let sms: SmsWebhook;
const nextSms = (to: string) => sms.nextSms(to);

before(async () => {
  sms = await startSmsWebhook();
  c = await startCognate({ clock, config: { smsWebhookUrl: sms.url } });
});
after(async () => {
  await c.stop();
  await sms.close();
});

const ALL_FACTORS: Partial<CreateUserPoolCommandInput> = {
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } },
  SmsConfiguration: SMS_CONFIG,
};

async function setup(pool: Partial<CreateUserPoolCommandInput> = ALL_FACTORS, client: Partial<CreateUserPoolClientCommandInput> = {}) {
  const { poolId, clientId } = await createPoolAndClient(c, {
    pool: { PoolName: 'choice', ...pool },
    client: { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...client },
  });
  return { poolId, clientId };
}

async function newUser(poolId: string, o: { emailVerified?: boolean; phone?: boolean } = {}) {
  const username = `user${++seq}`;
  const email = `${username}@example.com`;
  const phone = `+1555100${String(1000 + seq)}`;
  await createConfirmedUser(c, poolId, username, {
    password: PASSWORD,
    attributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: String(o.emailVerified ?? true) },
      ...(o.phone
        ? [
            { Name: 'phone_number', Value: phone },
            { Name: 'phone_number_verified', Value: 'true' },
          ]
        : []),
    ],
  });
  return { username, email, phone };
}

const start = (clientId: string, username: string, extra: Record<string, string> = {}) =>
  c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, ...extra } }));
const respond = (clientId: string, challenge: string, session: string | undefined, responses: Record<string, string>) =>
  c.anon.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: challenge as never, Session: session, ChallengeResponses: responses }));

const invalidSession = { name: 'NotAuthorizedException', message: 'Invalid session for the user.' };
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const wrongCode = { name: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' };
const locked = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

describe('USER_AUTH: choosing a first factor', () => {
  it('answers USERNAME alone with SELECT_CHALLENGE listing the factors this user can use', async () => {
    const { poolId, clientId } = await setup();
    const full = await newUser(poolId, { phone: true });
    const out = await start(clientId, full.username);
    assert.equal(out.ChallengeName, 'SELECT_CHALLENGE');
    assert.ok(out.Session);
    assert.deepEqual(out.AvailableChallenges, ['EMAIL_OTP', 'SMS_OTP', 'PASSWORD', 'PASSWORD_SRP']);
    // An unverified email and no phone: passwords only.
    const bare = await newUser(poolId, { emailVerified: false });
    assert.deepEqual((await start(clientId, bare.username)).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
  });

  it('offers passwords only in a LITE pool, in a pool requiring MFA, and to a user who has activated MFA', async () => {
    const lite = await setup({ ...ALL_FACTORS, UserPoolTier: 'LITE' });
    assert.deepEqual((await start(lite.clientId, (await newUser(lite.poolId, { phone: true })).username)).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);

    const required = await setup();
    await c.admin.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: required.poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }),
    );
    assert.deepEqual((await start(required.clientId, (await newUser(required.poolId)).username)).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);

    const optional = await setup();
    await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: optional.poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }));
    const user = await newUser(optional.poolId);
    assert.deepEqual((await start(optional.clientId, user.username)).AvailableChallenges, ['EMAIL_OTP', 'PASSWORD', 'PASSWORD_SRP']);
    await c.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: optional.poolId, Username: user.username, EmailMfaSettings: { Enabled: true } }));
    assert.deepEqual((await start(optional.clientId, user.username)).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
  });

  it('is refused for a client without ALLOW_USER_AUTH, and needs USERNAME', async () => {
    const { poolId, clientId } = await setup(ALL_FACTORS, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
    const { username } = await newUser(poolId);
    await assert.rejects(start(clientId, username), { name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
    const ok = await setup();
    await assert.rejects(c.anon.send(new InitiateAuthCommand({ ClientId: ok.clientId, AuthFlow: 'USER_AUTH', AuthParameters: {} })), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter USERNAME',
    });
  });

  it('starts a preferred PASSWORD factor at once, and falls back to SELECT_CHALLENGE for a factor the user cannot use', async () => {
    const { poolId, clientId } = await setup();
    const { username } = await newUser(poolId, { emailVerified: false });
    const out = await start(clientId, username, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: out.AuthenticationResult.AccessToken }))).Username, username);
    await assert.rejects(start(clientId, username, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: WRONG }), incorrect);
    const fallback = await start(clientId, username, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    assert.equal(fallback.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(fallback.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
    await assert.rejects(start(clientId, username, { PREFERRED_CHALLENGE: 'SOMETHING' }), {
      name: 'InvalidParameterException',
      message: 'Invalid PREFERRED_CHALLENGE SOMETHING',
    });
  });

  it('completes SELECT_CHALLENGE with ANSWER PASSWORD, once per session, and only for the user it was opened for', async () => {
    const { poolId, clientId } = await setup();
    const { username } = await newUser(poolId);
    const other = await newUser(poolId);
    const sel = await start(clientId, username);
    await assert.rejects(respond(clientId, 'SELECT_CHALLENGE', sel.Session, { USERNAME: other.username, ANSWER: 'PASSWORD', PASSWORD }), invalidSession);
    const sel2 = await start(clientId, username);
    const out = await respond(clientId, 'SELECT_CHALLENGE', sel2.Session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD });
    assert.ok(out.AuthenticationResult?.IdToken);
    await assert.rejects(respond(clientId, 'SELECT_CHALLENGE', sel2.Session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD }), invalidSession);
    // A factor not among AvailableChallenges, or one without its parameter, is refused and leaves the session usable.
    const bare = await newUser(poolId, { emailVerified: false });
    const sel3 = await start(clientId, bare.username);
    await assert.rejects(respond(clientId, 'SELECT_CHALLENGE', sel3.Session, { USERNAME: bare.username, ANSWER: 'EMAIL_OTP' }), {
      name: 'InvalidParameterException',
      message: 'EMAIL_OTP is not available for the user.',
    });
    await assert.rejects(respond(clientId, 'SELECT_CHALLENGE', sel3.Session, { USERNAME: bare.username, ANSWER: 'PASSWORD' }), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter PASSWORD',
    });
    assert.ok((await respond(clientId, 'SELECT_CHALLENGE', sel3.Session, { USERNAME: bare.username, ANSWER: 'PASSWORD', PASSWORD })).AuthenticationResult);
  });

  it('starts a preferred PASSWORD_SRP with its SRP_A, and checks SECRET_HASH on a client with a secret', async () => {
    const { poolId, clientId } = await setup();
    const { username } = await newUser(poolId);
    const helper = newHelper(poolNameOf(poolId));
    const out = await start(clientId, username, { PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: (await largeA(helper)).toString(16) });
    assert.equal(out.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(out.ChallengeParameters!['USER_ID_FOR_SRP'], username);
    const secret = await c.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_AUTH'] }),
    );
    const secretClient = secret.UserPoolClient!;
    await assert.rejects(start(secretClient.ClientId!, username), {
      name: 'NotAuthorizedException',
      message: `Client ${secretClient.ClientId!} is configured with secret but SECRET_HASH was not received`,
    });
    const hash = createHmac('sha256', secretClient.ClientSecret!)
      .update(username + secretClient.ClientId!)
      .digest('base64');
    assert.equal((await start(secretClient.ClientId!, username, { SECRET_HASH: hash })).ChallengeName, 'SELECT_CHALLENGE');
  });

  it('completes SELECT_CHALLENGE with ANSWER PASSWORD_SRP through PASSWORD_VERIFIER, as USER_SRP_AUTH does', async () => {
    const { poolId, clientId } = await setup();
    const { username } = await newUser(poolId);
    const sel = await start(clientId, username);
    const helper = newHelper(poolNameOf(poolId));
    const A = (await largeA(helper)).toString(16);
    const verifier = await respond(clientId, 'SELECT_CHALLENGE', sel.Session, { USERNAME: username, ANSWER: 'PASSWORD_SRP', SRP_A: A });
    assert.equal(verifier.ChallengeName, 'PASSWORD_VERIFIER');
    const p = verifier.ChallengeParameters!;
    const key = await passwordKey(helper, p['USER_ID_FOR_SRP']!, PASSWORD, p['SRP_B']!, p['SALT']!);
    const timestamp = formatTimestamp(clock.now());
    const out = await respond(clientId, 'PASSWORD_VERIFIER', undefined, {
      USERNAME: p['USER_ID_FOR_SRP']!,
      PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: claim(key, poolNameOf(poolId), p['USER_ID_FOR_SRP']!, p['SECRET_BLOCK']!, timestamp),
    });
    assert.ok(out.AuthenticationResult?.AccessToken);
  });

  it('works from AdminInitiateAuth too', async () => {
    const { poolId, clientId } = await setup();
    const { username } = await newUser(poolId);
    const out = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
      }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken);
  });
});

describe('USER_AUTH: passwordless codes', () => {
  it('mails an EMAIL_OTP code for a preferred EMAIL_OTP and signs in with it, once', async () => {
    const { poolId, clientId } = await setup();
    const { username, email } = await newUser(poolId);
    const out = await start(clientId, username, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    assert.equal(out.ChallengeName, 'EMAIL_OTP');
    assert.deepEqual(out.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' });
    const code = await c.inbox.nextCode(email);
    const done = await respond(clientId, 'EMAIL_OTP', out.Session, { USERNAME: username, EMAIL_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.RefreshToken);
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: done.AuthenticationResult.AccessToken }))).Username, username);
    // Single use: the same code and session again is refused.
    await assert.rejects(respond(clientId, 'EMAIL_OTP', out.Session, { USERNAME: username, EMAIL_OTP_CODE: code }), invalidSession);
  });

  it('reaches EMAIL_OTP through SELECT_CHALLENGE, and a code from one sign-in fails in another', async () => {
    const { poolId, clientId } = await setup();
    const { username, email } = await newUser(poolId);
    const first = await respond(clientId, 'SELECT_CHALLENGE', (await start(clientId, username)).Session, { USERNAME: username, ANSWER: 'EMAIL_OTP' });
    assert.equal(first.ChallengeName, 'EMAIL_OTP');
    const firstCode = await c.inbox.nextCode(email);
    const second = await start(clientId, username, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const secondCode = await c.inbox.nextCode(email);
    if (firstCode !== secondCode)
      await assert.rejects(respond(clientId, 'EMAIL_OTP', second.Session, { USERNAME: username, EMAIL_OTP_CODE: firstCode }), wrongCode);
    const done = await respond(clientId, 'EMAIL_OTP', second.Session, { USERNAME: username, EMAIL_OTP_CODE: secondCode });
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('counts wrong codes toward the lockout: five lock the account, even for the right code', async () => {
    const { poolId, clientId } = await setup();
    const { username, email } = await newUser(poolId);
    const out = await start(clientId, username, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const code = await c.inbox.nextCode(email);
    for (let i = 0; i < 5; i++)
      await assert.rejects(respond(clientId, 'EMAIL_OTP', out.Session, { USERNAME: username, EMAIL_OTP_CODE: otherCode(code) }), wrongCode);
    await assert.rejects(respond(clientId, 'EMAIL_OTP', out.Session, { USERNAME: username, EMAIL_OTP_CODE: code }), locked);
    await assert.rejects(start(clientId, username, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }), locked);
    clock.advance(2000);
    const done = await respond(clientId, 'EMAIL_OTP', out.Session, { USERNAME: username, EMAIL_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('refuses a code after the session expires', async () => {
    const { poolId, clientId } = await setup();
    const { username, email } = await newUser(poolId);
    const out = await start(clientId, username, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const code = await c.inbox.nextCode(email);
    clock.advance(3 * 60_000 + 1000);
    await assert.rejects(respond(clientId, 'EMAIL_OTP', out.Session, { USERNAME: username, EMAIL_OTP_CODE: code }), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('sends an SMS_OTP code to the verified phone through the SMS webhook and signs in with it', async () => {
    const { poolId, clientId } = await setup();
    const { username, phone } = await newUser(poolId, { phone: true });
    const sel = await start(clientId, username);
    const out = await respond(clientId, 'SELECT_CHALLENGE', sel.Session, { USERNAME: username, ANSWER: 'SMS_OTP' });
    assert.equal(out.ChallengeName, 'SMS_OTP');
    assert.equal(out.ChallengeParameters!['CODE_DELIVERY_DELIVERY_MEDIUM'], 'SMS');
    const code = await nextSms(phone);
    await assert.rejects(respond(clientId, 'SMS_OTP', out.Session, { USERNAME: username, SMS_OTP_CODE: otherCode(code) }), wrongCode);
    const done = await respond(clientId, 'SMS_OTP', out.Session, { USERNAME: username, SMS_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.AccessToken);
  });
});

describe('USER_AUTH: unknown users', () => {
  it('answers UserNotFoundException under LEGACY', async () => {
    const { clientId } = await setup();
    await assert.rejects(start(clientId, 'nobody'), { name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('plays along under PreventUserExistenceErrors ENABLED: the pool factors, a simulated code, and failures like a real user', async () => {
    const { poolId, clientId } = await setup(ALL_FACTORS, { PreventUserExistenceErrors: 'ENABLED' });
    const real = await newUser(poolId, { phone: true });
    const ghost = await start(clientId, 'ghost@example.com');
    assert.equal(ghost.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(ghost.AvailableChallenges, (await start(clientId, real.username)).AvailableChallenges);
    const otp = await respond(clientId, 'SELECT_CHALLENGE', ghost.Session, { USERNAME: 'ghost@example.com', ANSWER: 'EMAIL_OTP' });
    assert.equal(otp.ChallengeName, 'EMAIL_OTP');
    assert.equal(otp.ChallengeParameters!['CODE_DELIVERY_DELIVERY_MEDIUM'], 'EMAIL');
    assert.match(otp.ChallengeParameters!['CODE_DELIVERY_DESTINATION']!, /\*/);
    await assert.rejects(respond(clientId, 'EMAIL_OTP', otp.Session, { USERNAME: 'ghost@example.com', EMAIL_OTP_CODE: '123456' }), wrongCode);
    await assert.rejects(start(clientId, 'ghost@example.com', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }), incorrect);
    // Five failures lock the made-up name as they would an account.
    for (let i = 0; i < 3; i++) await assert.rejects(start(clientId, 'ghost@example.com', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }), incorrect);
    await assert.rejects(start(clientId, 'ghost@example.com'), locked);
  });
});

describe('GetUserAuthFactors and AdminGetUserAuthFactors', () => {
  it('report the first factors a user can choose and their MFA settings', async () => {
    const { poolId, clientId } = await setup();
    await c.admin.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        EmailMfaConfiguration: {},
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const { username } = await newUser(poolId, { phone: true });
    const token = (await start(clientId, username, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult!.AccessToken!;
    const mine = await c.anon.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    assert.equal(mine.Username, username);
    assert.deepEqual(mine.ConfiguredUserAuthFactors, ['EMAIL_OTP', 'SMS_OTP', 'PASSWORD']);
    assert.equal(mine.UserMFASettingList, undefined);
    assert.equal(mine.PreferredMfaSetting, undefined);

    await c.admin.send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const admin = await c.admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(admin.Username, username);
    assert.deepEqual(admin.UserMFASettingList, ['EMAIL_OTP']);
    assert.equal(admin.PreferredMfaSetting, 'EMAIL_OTP');
    // With MFA active, passwordless factors are no longer the user's to choose.
    assert.deepEqual(admin.ConfiguredUserAuthFactors, ['PASSWORD']);
    await assert.rejects(c.admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'nobody' })), {
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });
});
