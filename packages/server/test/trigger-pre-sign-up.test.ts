import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AdminGetUserCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { openPage, postPage } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool, PASSWORD } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { failure, TriggerFunctions } from './helpers/trigger-functions.ts';

// PreSignUp with real handler modules: the event Cognito sends for SignUp
// (PreSignUp_SignUp, the managed sign-up page included) and AdminCreateUser
// (PreSignUp_AdminCreateUser), its three response flags, and a refusal that
// leaves no user and sends no mail.

const CALLBACK = 'http://localhost:3999/callback';
let c: Running;
let fns: TriggerFunctions;
let seq = 0;
const email = (tag: string) => `${tag}-${++seq}@example.com`;

const attributesOf = (out: AdminGetUserCommandOutput) => Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
/** Mail is handed to SMTP after the answer: give it the time it takes before asserting none came. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

async function poolWithTrigger(extra: Record<string, unknown> = {}) {
  const poolId = await createPool(c, { AutoVerifiedAttributes: ['email'], LambdaConfig: { PreSignUp: fns.arn('pre-sign-up') }, ...extra });
  const { clientId } = await createClient(c, poolId);
  return { poolId, clientId };
}

before(async () => {
  fns = new TriggerFunctions().scripted('pre-sign-up');
  c = await startCognate({ config: { functionsFile: fns.functionsFile } });
});
after(async () => {
  await c.stop();
  fns.cleanup();
});
beforeEach(() => fns.reset());

describe('PreSignUp on SignUp', () => {
  it("sends Cognito's event: the attributes as given, ValidationData as a map, ClientMetadata, the flags pre-filled false", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const address = email('shape');
    await c.anon.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'shape',
        Password: PASSWORD,
        UserAttributes: attrs({ email: address, name: 'Shape' }),
        ValidationData: [{ Name: 'captcha', Value: 'ok' }],
        ClientMetadata: { source: 'test' },
      }),
    );
    const [event] = fns.events('pre-sign-up');
    assert.ok(event);
    const callerContext = event['callerContext'] as { awsSdkVersion: string; clientId: string };
    assert.match(callerContext.awsSdkVersion, /^aws-sdk-js-\d/);
    assert.deepEqual(event, {
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'shape',
      callerContext: { awsSdkVersion: callerContext.awsSdkVersion, clientId },
      request: { userAttributes: { email: address, name: 'Shape' }, validationData: { captcha: 'ok' }, clientMetadata: { source: 'test' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it('sends validationData null and no clientMetadata when the call has neither, and the sub as userName where the email is the username', async () => {
    const { clientId } = await poolWithTrigger({ UsernameAttributes: ['email'] });
    const address = email('bare');
    const out = await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: address, Password: PASSWORD }));
    const [event] = fns.events('pre-sign-up');
    assert.equal(event!['userName'], out.UserSub);
    assert.deepEqual(event!['request'], { userAttributes: { email: address }, validationData: null });
  });

  it('creates the user UNCONFIRMED with a code when the function leaves the flags false', async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const address = email('plain');
    const out = await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'plain', Password: PASSWORD, UserAttributes: attrs({ email: address }) }));
    assert.equal(out.UserConfirmed, false);
    assert.ok(out.CodeDeliveryDetails);
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'plain' }))).UserStatus, 'UNCONFIRMED');
    await c.inbox.next(address, 0);
  });

  it('confirms the user with autoConfirmUser: UserConfirmed true, no code sent, email left unverified, sign-in works at once', async () => {
    const { poolId, clientId } = await poolWithTrigger();
    fns.plan('pre-sign-up', { respond: { autoConfirmUser: true } });
    const address = email('auto');
    const out = await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'auto', Password: PASSWORD, UserAttributes: attrs({ email: address }) }));
    assert.equal(out.UserConfirmed, true);
    assert.equal(out.CodeDeliveryDetails, undefined);
    const user = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'auto' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.notEqual(attributesOf(user)['email_verified'], 'true');
    const signedIn = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'auto', PASSWORD } }),
    );
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
    await settle();
    assert.equal(c.inbox.count(address), 0);
  });

  it('verifies the email and phone number with autoVerifyEmail and autoVerifyPhone', async () => {
    const { poolId, clientId } = await poolWithTrigger({ AliasAttributes: ['email'] });
    fns.plan('pre-sign-up', { respond: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true } });
    const address = email('verified');
    await c.anon.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'verified',
        Password: PASSWORD,
        UserAttributes: attrs({ email: address, phone_number: '+15550100001' }),
      }),
    );
    const got = attributesOf(await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'verified' })));
    assert.equal(got['email_verified'], 'true');
    assert.equal(got['phone_number_verified'], 'true');
    // The verified email is a sign-in alias at once.
    const signedIn = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: address, PASSWORD } }),
    );
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  });

  it('moves an email alias another user holds to the new user, whose email it verifies', async () => {
    const { poolId, clientId } = await poolWithTrigger({ AliasAttributes: ['email'] });
    const address = email('moved');
    await createConfirmedUser(c, poolId, 'holder', { attributes: attrs({ email: address, email_verified: 'true' }) });
    fns.plan('pre-sign-up', { respond: { autoConfirmUser: true, autoVerifyEmail: true } });
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'taker', Password: PASSWORD, UserAttributes: attrs({ email: address }) }));
    const holder = attributesOf(await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'holder' })));
    const taker = attributesOf(await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'taker' })));
    assert.equal(holder['email_verified'], 'false');
    assert.equal(taker['email_verified'], 'true');
  });

  it('refuses autoVerifyEmail without autoConfirmUser, and a flag to verify an attribute the user lacks, creating nothing', async () => {
    const { poolId, clientId } = await poolWithTrigger();
    fns.plan('pre-sign-up', { respond: { autoVerifyEmail: true } });
    const refused = await failure(
      c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'half', Password: PASSWORD, UserAttributes: attrs({ email: email('half') }) })),
    );
    assert.equal(refused, 'InvalidLambdaResponseException: Phone or email cannot be auto verified, when user is not being auto confirmed.');
    fns.plan('pre-sign-up', { respond: { autoConfirmUser: true, autoVerifyPhone: true } });
    const noPhone = await failure(
      c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'half', Password: PASSWORD, UserAttributes: attrs({ email: email('half') }) })),
    );
    assert.match(noPhone, /^InvalidLambdaResponseException: /);
    assert.match(await failure(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'half' }))), /^UserNotFoundException/);
  });

  it('refuses the sign-up with UserLambdaValidationException when the function throws: no user, no mail, the name still free', async () => {
    const { poolId, clientId } = await poolWithTrigger();
    fns.plan('pre-sign-up', { throw: 'Sign-ups from this domain are closed' });
    const address = email('refused');
    const refused = await failure(
      c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'refused', Password: PASSWORD, UserAttributes: attrs({ email: address }) })),
    );
    assert.equal(refused, 'UserLambdaValidationException: PreSignUp failed with error Sign-ups from this domain are closed.');
    assert.match(await failure(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'refused' }))), /^UserNotFoundException/);
    await settle();
    assert.equal(c.inbox.count(address), 0);
    fns.plan('pre-sign-up', { unchanged: true });
    const out = await c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: 'refused', Password: PASSWORD, UserAttributes: attrs({ email: address }) }),
    );
    assert.ok(out.UserSub);
  });

  it('answers InvalidLambdaResponseException for an output that is not the event, or a flag that is not a boolean', async () => {
    const { clientId } = await poolWithTrigger();
    fns.plan('pre-sign-up', { returns: 'yes' });
    const text = await failure(
      c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'odd', Password: PASSWORD, UserAttributes: attrs({ email: email('odd') }) })),
    );
    assert.equal(text, 'InvalidLambdaResponseException: Unrecognizable lambda output');
    fns.plan('pre-sign-up', { respond: { autoConfirmUser: 'true' } });
    const flag = await failure(
      c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'odd', Password: PASSWORD, UserAttributes: attrs({ email: email('odd') }) })),
    );
    assert.equal(flag, 'InvalidLambdaResponseException: Unrecognizable lambda output');
  });
});

describe('PreSignUp on AdminCreateUser', () => {
  it('sends PreSignUp_AdminCreateUser with no app client, and ignores the flags: the user awaits a new password', async () => {
    const { poolId } = await poolWithTrigger();
    fns.plan('pre-sign-up', { respond: { autoConfirmUser: true, autoVerifyEmail: true } });
    const address = email('invited');
    const out = await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'invited',
        UserAttributes: attrs({ email: address }),
        ValidationData: [{ Name: 'team', Value: 'blue' }],
        ClientMetadata: { by: 'operator' },
      }),
    );
    assert.equal(out.User?.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const [event] = fns.events('pre-sign-up');
    assert.equal(event!['triggerSource'], 'PreSignUp_AdminCreateUser');
    assert.equal(event!['userName'], 'invited');
    assert.equal((event!['callerContext'] as { clientId: string }).clientId, 'CLIENT_ID_NOT_APPLICABLE');
    assert.deepEqual(event!['request'], { userAttributes: { email: address }, validationData: { team: 'blue' }, clientMetadata: { by: 'operator' } });
    const got = attributesOf(await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'invited' })));
    assert.notEqual(got['email_verified'], 'true');
    await c.inbox.next(address, 0);
  });

  it('creates no user and sends no invitation when the function throws', async () => {
    const { poolId } = await poolWithTrigger();
    fns.plan('pre-sign-up', { throw: 'No' });
    const address = email('never');
    const refused = await failure(
      c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'never', UserAttributes: attrs({ email: address }) })),
    );
    assert.equal(refused, 'UserLambdaValidationException: PreSignUp failed with error No.');
    assert.match(await failure(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'never' }))), /^UserNotFoundException/);
    await settle();
    assert.equal(c.inbox.count(address), 0);
  });
});

describe('PreSignUp on the managed sign-up page', () => {
  it("shows the function's error above the form and creates no user; an auto-confirmed user is sent to sign in", async () => {
    const { poolId } = await poolWithTrigger();
    const { clientId } = await createClient(c, poolId, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    });
    const authorize = { response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email' };
    fns.plan('pre-sign-up', { throw: 'Invitation required' });
    const fields = { username: 'paged', password: PASSWORD, 'attribute:email': email('paged') };
    const refused = await postPage(await openPage(c.url, '/signup', authorize), '/signup', fields);
    assert.equal(refused.status, 400);
    assert.match(refused.text, /PreSignUp failed with error Invitation required\./);
    assert.equal(fns.events('pre-sign-up')[0]!['triggerSource'], 'PreSignUp_SignUp');
    assert.match(await failure(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'paged' }))), /^UserNotFoundException/);

    fns.plan('pre-sign-up', { respond: { autoConfirmUser: true } });
    const accepted = await postPage(await openPage(c.url, '/signup', authorize), '/signup', fields);
    assert.equal(accepted.status, 200);
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'paged' }))).UserStatus, 'CONFIRMED');
  });
});
