import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminInitiateAuthCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as srp from '../src/crypto/srp.ts';
import { FakeClock } from '../src/services/clock.ts';
import { openPage, postPage } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool, PASSWORD } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { claim, largeA, newHelper, passwordKey, poolNameOf } from './helpers/srp-client.ts';
import { totpCode } from './helpers/totp.ts';
import { failure, TriggerFunctions } from './helpers/trigger-functions.ts';

// PreAuthentication and PostAuthentication with real handler modules, on
// every way to sign in: USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH,
// USER_SRP_AUTH, USER_AUTH and the managed-login form. Pre authentication
// runs once, when the sign-in starts, before any password is looked at;
// post authentication once every step (MFA included) has passed, before any
// token. Neither runs on a refresh.

const CALLBACK = 'http://localhost:3999/callback';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const clock = new FakeClock(Date.now());
let c: Running;
let fns: TriggerFunctions;
let poolId: string;
let clientId: string;
/** A client of the same pool with PreventUserExistenceErrors ENABLED. */
let hidingId: string;
let seq = 0;

const password = (username: string, pw = PASSWORD, ClientMetadata?: Record<string, string>, client = clientId) =>
  c.anon.send(
    new InitiateAuthCommand({
      ClientId: client,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: pw },
      ...(ClientMetadata ? { ClientMetadata } : {}),
    }),
  );
const pre = () => fns.events('pre-auth');
const post = () => fns.events('post-auth');
const requestOf = (event: Record<string, unknown> | undefined) => event?.['request'] as Record<string, unknown>;

/** A confirmed user with a verified email; returns the username. */
async function newUser(tag: string): Promise<{ username: string; sub: string; email: string }> {
  const username = `${tag}-${++seq}`;
  const email = `${username}@example.com`;
  const user = await createConfirmedUser(c, poolId, username, { attributes: attrs({ email, email_verified: 'true' }) });
  return { username, sub: user.Attributes!.find((a) => a.Name === 'sub')!.Value!, email };
}

before(async () => {
  fns = new TriggerFunctions().scripted('pre-auth', 'post-auth');
  c = await startCognate({ clock, config: { functionsFile: fns.functionsFile } });
  poolId = await createPool(c, {
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    LambdaConfig: { PreAuthentication: fns.arn('pre-auth'), PostAuthentication: fns.arn('post-auth') },
  });
  await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  ({ clientId } = await createClient(c, poolId, { ExplicitAuthFlows: [...FLOWS] }));
  ({ clientId: hidingId } = await createClient(c, poolId, { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: 'ENABLED' }));
});
after(async () => {
  await c.stop();
  fns.cleanup();
});
beforeEach(() => fns.reset());

describe('PreAuthentication', () => {
  it("sends Cognito's event at USER_PASSWORD_AUTH: the user's attributes and status, InitiateAuth's ClientMetadata as validationData", async () => {
    const { username, sub, email } = await newUser('pre');
    await password(username, PASSWORD, { device: 'kiosk' });
    const events = pre();
    assert.equal(events.length, 1);
    const event = events[0]!;
    const callerContext = event['callerContext'] as { awsSdkVersion: string };
    assert.deepEqual(event, {
      version: '1',
      triggerSource: 'PreAuthentication_Authentication',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: callerContext.awsSdkVersion, clientId },
      request: {
        userAttributes: { sub, email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
        validationData: { device: 'kiosk' },
      },
      response: {},
    });
  });

  it('sends validationData null without ClientMetadata, and userNotFound only to a client with PreventUserExistenceErrors ENABLED', async () => {
    const { username } = await newUser('flags');
    await password(username);
    assert.deepEqual(Object.keys(requestOf(pre()[0])).sort(), ['userAttributes', 'validationData']);
    assert.equal(requestOf(pre()[0])['validationData'], null);
    fns.reset();
    await password(username, PASSWORD, undefined, hidingId);
    assert.equal(requestOf(pre()[0])['userNotFound'], false);
  });

  it('runs for an unknown name only under PreventUserExistenceErrors ENABLED, with userNotFound true; the answer stays a wrong password', async () => {
    assert.equal(await failure(password('nobody-at-all')), 'UserNotFoundException: User does not exist.');
    assert.equal(pre().length, 0);
    assert.equal(await failure(password('nobody-at-all', PASSWORD, undefined, hidingId)), 'NotAuthorizedException: Incorrect username or password.');
    const [event] = pre();
    assert.equal(event!['userName'], 'nobody-at-all');
    assert.deepEqual(requestOf(event), { userAttributes: {}, validationData: null, userNotFound: true });
  });

  it('refuses the sign-in with the function error, counting no failed password and issuing nothing', async () => {
    const { username } = await newUser('blocked');
    fns.plan('pre-auth', { throw: 'Outside business hours' });
    for (let i = 0; i < 6; i++) {
      assert.equal(
        await failure(password(username, 'Wr0ng-password!')),
        'UserLambdaValidationException: PreAuthentication failed with error Outside business hours.',
      );
    }
    assert.equal(post().length, 0);
    fns.plan('pre-auth', { unchanged: true });
    // Six failed passwords would have locked the account (Cognito's lockout starts at five).
    const signedIn = await password(username);
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  });

  it('runs at ADMIN_USER_PASSWORD_AUTH with its ClientMetadata', async () => {
    const { username } = await newUser('admin');
    await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
        ClientMetadata: { via: 'backend' },
      }),
    );
    assert.equal(pre().length, 1);
    assert.deepEqual(requestOf(pre()[0])['validationData'], { via: 'backend' });
    assert.equal(post().length, 1);
  });

  it('runs once at USER_SRP_AUTH, when InitiateAuth starts it, and a refusal opens no challenge', async () => {
    const { username } = await newUser('srp');
    const helper = newHelper(poolNameOf(poolId));
    const A = (await largeA(helper)).toString(16);
    const start = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A } }),
    );
    assert.equal(pre().length, 1);
    assert.equal(post().length, 0);
    const params = start.ChallengeParameters!;
    const userId = params['USER_ID_FOR_SRP']!;
    const key = await passwordKey(helper, userId, PASSWORD, params['SRP_B']!, params['SALT']!);
    const timestamp = srp.formatTimestamp(clock.now());
    const out = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: userId,
          PASSWORD_CLAIM_SECRET_BLOCK: params['SECRET_BLOCK']!,
          TIMESTAMP: timestamp,
          PASSWORD_CLAIM_SIGNATURE: claim(key, poolNameOf(poolId), userId, params['SECRET_BLOCK']!, timestamp),
        },
      }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(pre().length, 1);
    assert.equal(post().length, 1);

    fns.plan('pre-auth', { throw: 'no' });
    const refused = await failure(
      c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A } })),
    );
    assert.equal(refused, 'UserLambdaValidationException: PreAuthentication failed with error no.');
  });

  it('runs once at USER_AUTH, not again when the factor is chosen; a refusal sends no code', async () => {
    const { username, email } = await newUser('choice');
    const start = await c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username } }));
    assert.equal(start.ChallengeName, 'SELECT_CHALLENGE');
    assert.equal(pre().length, 1);
    const out = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: start.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD },
      }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(pre().length, 1);
    assert.equal(post().length, 1);

    fns.plan('pre-auth', { throw: 'no codes today' });
    const refused = await failure(
      c.anon.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' } }),
      ),
    );
    assert.equal(refused, 'UserLambdaValidationException: PreAuthentication failed with error no codes today.');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(c.inbox.count(email), 0);
  });

  it('does not run on REFRESH_TOKEN_AUTH (nor does PostAuthentication)', async () => {
    const { username } = await newUser('refresh');
    const signedIn = await password(username);
    fns.reset();
    const refreshed = await c.anon.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken! },
      }),
    );
    assert.ok(refreshed.AuthenticationResult?.AccessToken);
    assert.equal(pre().length, 0);
    assert.equal(post().length, 0);
  });
});

describe('PostAuthentication', () => {
  it("sends Cognito's event once the password signs in, without InitiateAuth's ClientMetadata; newDeviceUsed false where devices are not tracked", async () => {
    const { username, sub, email } = await newUser('post');
    const out = await password(username, PASSWORD, { not: 'for-post' });
    assert.ok(out.AuthenticationResult?.AccessToken);
    const events = post();
    assert.equal(events.length, 1);
    const event = events[0]!;
    const callerContext = event['callerContext'] as { awsSdkVersion: string };
    assert.deepEqual(event, {
      version: '1',
      triggerSource: 'PostAuthentication_Authentication',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: callerContext.awsSdkVersion, clientId },
      request: { userAttributes: { sub, email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' }, newDeviceUsed: false },
      response: {},
    });
  });

  it('fails the sign-in with the function error and returns no tokens; the next sign-in works', async () => {
    const { username } = await newUser('post-fails');
    fns.plan('post-auth', { throw: 'Account under review' });
    assert.equal(await failure(password(username)), 'UserLambdaValidationException: PostAuthentication failed with error Account under review.');
    fns.plan('post-auth', { unchanged: true });
    assert.ok((await password(username)).AuthenticationResult?.AccessToken);
  });

  it("runs after MFA, not before, with RespondToAuthChallenge's ClientMetadata", async () => {
    const { username } = await newUser('mfa');
    const first = await password(username);
    const token = first.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totpCode(SecretCode!, clock.now()) }));
    await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    clock.advance(60_000);
    fns.reset();
    const challenge = await password(username, PASSWORD, { at: 'initiate' });
    assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(pre().length, 1);
    assert.equal(post().length, 0);
    const out = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpCode(SecretCode!, clock.now()) },
        ClientMetadata: { at: 'respond' },
      }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(post().length, 1);
    assert.deepEqual(requestOf(post()[0])['clientMetadata'], { at: 'respond' });
  });

  it('sends newDeviceUsed true where the pool tracks devices and the sign-in brings no known device', async () => {
    const devicePool = await createPool(c, {
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true },
      LambdaConfig: { PostAuthentication: fns.arn('post-auth') },
    });
    const { clientId: deviceClient } = await createClient(c, devicePool);
    await createConfirmedUser(c, devicePool, 'traveller');
    const out = await password('traveller', PASSWORD, undefined, deviceClient);
    assert.ok(out.AuthenticationResult?.NewDeviceMetadata);
    assert.equal(requestOf(post()[0])['newDeviceUsed'], true);
  });
});

describe('PreAuthentication and PostAuthentication on the managed-login pages', () => {
  it("shows the function's error above the sign-in form, and signs in once it allows", async () => {
    const { clientId: pageClient } = await createClient(c, poolId, {
      ExplicitAuthFlows: [...FLOWS],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    });
    const authorize = { response_type: 'code', client_id: pageClient, redirect_uri: CALLBACK, scope: 'openid' };
    const { username } = await newUser('page');
    fns.plan('pre-auth', { throw: 'Use the kiosk' });
    const refused = await postPage(await openPage(c.url, '/login', authorize), '/login', { username, password: PASSWORD });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /PreAuthentication failed with error Use the kiosk\./);
    assert.equal(post().length, 0);

    fns.plan('pre-auth', { unchanged: true });
    fns.plan('post-auth', { throw: 'Not today' });
    const late = await postPage(await openPage(c.url, '/login', authorize), '/login', { username, password: PASSWORD });
    assert.equal(late.status, 400);
    assert.match(late.text, /PostAuthentication failed with error Not today\./);

    fns.plan('post-auth', { unchanged: true });
    const signedIn = await postPage(await openPage(c.url, '/login', authorize), '/login', { username, password: PASSWORD });
    assert.equal(signedIn.status, 302);
    assert.match(signedIn.location ?? '', /^http:\/\/localhost:3999\/callback\?code=/);
    assert.equal((post().at(-1)!['callerContext'] as { clientId: string }).clientId, pageClient);
  });
});
