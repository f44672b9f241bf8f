import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { openPage, postPage } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool, PASSWORD } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { failure, TriggerFunctions } from './helpers/trigger-functions.ts';

// PostConfirmation with real handler modules: after ConfirmSignUp,
// AdminConfirmSignUp and a pre sign-up auto-confirmation
// (PostConfirmation_ConfirmSignUp) and after ConfirmForgotPassword
// (PostConfirmation_ConfirmForgotPassword), with the user's attributes as
// they are once confirmed. It runs after the commit: a failing function fails
// the call with its error, and the user stays confirmed.

const NEW_PASSWORD = 'N3w-Passw0rd!';
const CALLBACK = 'http://localhost:3999/callback';
let c: Running;
let fns: TriggerFunctions;
let poolId: string;
let clientId: string;
let seq = 0;
const email = (tag: string) => `${tag}-${++seq}@example.com`;
const statusOf = async (username: string) => (await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

/** A user signed up with `address`, not yet confirmed; the code sent. */
async function signedUp(username: string, address: string): Promise<{ sub: string; code: string }> {
  const out = await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: attrs({ email: address }) }));
  return { sub: out.UserSub!, code: await c.inbox.nextCode(address) };
}

before(async () => {
  fns = new TriggerFunctions().scripted('post-confirmation', 'pre-sign-up');
  c = await startCognate({ config: { functionsFile: fns.functionsFile } });
  poolId = await createPool(c, {
    AutoVerifiedAttributes: ['email'],
    AliasAttributes: ['email'],
    LambdaConfig: { PostConfirmation: fns.arn('post-confirmation') },
  });
  ({ clientId } = await createClient(c, poolId));
});
after(async () => {
  await c.stop();
  fns.cleanup();
});
beforeEach(() => fns.reset());

describe('PostConfirmation after a sign-up is confirmed', () => {
  it("sends PostConfirmation_ConfirmSignUp after ConfirmSignUp with the user's attributes as confirmed, and ClientMetadata", async () => {
    const address = email('confirm');
    const { sub, code } = await signedUp('confirmer', address);
    assert.equal(fns.events('post-confirmation').length, 0);
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'confirmer', ConfirmationCode: code, ClientMetadata: { from: 'app' } }));
    const events = fns.events('post-confirmation');
    assert.equal(events.length, 1);
    const event = events[0]!;
    const callerContext = event['callerContext'] as { awsSdkVersion: string; clientId: string };
    assert.deepEqual(event, {
      version: '1',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'confirmer',
      callerContext: { awsSdkVersion: callerContext.awsSdkVersion, clientId },
      request: {
        userAttributes: {
          sub,
          email: address,
          email_verified: 'true',
          'cognito:user_status': 'CONFIRMED',
          'cognito:email_alias': address,
        },
        clientMetadata: { from: 'app' },
      },
      response: {},
    });
  });

  it('sends PostConfirmation_ConfirmSignUp after AdminConfirmSignUp, with no app client and the email still unverified', async () => {
    const address = email('admin');
    await signedUp('admin-confirmed', address);
    await c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'admin-confirmed', ClientMetadata: { by: 'ops' } }));
    const [event] = fns.events('post-confirmation');
    assert.equal(event!['triggerSource'], 'PostConfirmation_ConfirmSignUp');
    assert.equal((event!['callerContext'] as { clientId: string }).clientId, 'CLIENT_ID_NOT_APPLICABLE');
    const request = event!['request'] as { userAttributes: Record<string, string>; clientMetadata: Record<string, string> };
    assert.equal(request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.equal(request.userAttributes['email_verified'], undefined);
    assert.deepEqual(request.clientMetadata, { by: 'ops' });
  });

  it('sends PostConfirmation_ConfirmSignUp at SignUp when the pre sign-up trigger confirms the user', async () => {
    const autoPool = await createPool(c, { LambdaConfig: { PreSignUp: fns.arn('pre-sign-up'), PostConfirmation: fns.arn('post-confirmation') } });
    const { clientId: autoClient } = await createClient(c, autoPool);
    fns.plan('pre-sign-up', { respond: { autoConfirmUser: true } });
    const out = await c.anon.send(new SignUpCommand({ ClientId: autoClient, Username: 'auto', Password: PASSWORD }));
    assert.equal(out.UserConfirmed, true);
    const [event] = fns.events('post-confirmation');
    assert.equal(event!['triggerSource'], 'PostConfirmation_ConfirmSignUp');
    assert.deepEqual((event!['request'] as { userAttributes: unknown }).userAttributes, { sub: out.UserSub, 'cognito:user_status': 'CONFIRMED' });
  });

  it('fails ConfirmSignUp with the function error, and leaves the user confirmed and the code spent', async () => {
    const address = email('fails');
    const { code } = await signedUp('confirm-fails', address);
    fns.plan('post-confirmation', { throw: 'CRM unavailable' });
    const refused = await failure(c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'confirm-fails', ConfirmationCode: code })));
    assert.equal(refused, 'UserLambdaValidationException: PostConfirmation failed with error CRM unavailable.');
    assert.equal(await statusOf('confirm-fails'), 'CONFIRMED');
    const again = await failure(c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'confirm-fails', ConfirmationCode: code })));
    assert.equal(again, 'NotAuthorizedException: User cannot be confirmed. Current status is CONFIRMED');
    const signedIn = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'confirm-fails', PASSWORD } }),
    );
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  });

  it('is not sent when an invited user sets a new password at the first sign-in', async () => {
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invitee', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    const first = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'invitee', PASSWORD } }),
    );
    await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session,
        ChallengeResponses: { USERNAME: 'invitee', NEW_PASSWORD },
      }),
    );
    assert.equal(await statusOf('invitee'), 'CONFIRMED');
    assert.equal(fns.events('post-confirmation').length, 0);
  });
});

describe('PostConfirmation after a password reset', () => {
  it('sends PostConfirmation_ConfirmForgotPassword after ConfirmForgotPassword; a failure leaves the new password set', async () => {
    const address = email('reset');
    await createConfirmedUser(c, poolId, 'resetter', { attributes: attrs({ email: address, email_verified: 'true' }) });
    await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'resetter' }));
    const code = await c.inbox.nextCode(address);
    await c.anon.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: 'resetter',
        ConfirmationCode: code,
        Password: NEW_PASSWORD,
        ClientMetadata: { k: 'v' },
      }),
    );
    const [event] = fns.events('post-confirmation');
    assert.equal(event!['triggerSource'], 'PostConfirmation_ConfirmForgotPassword');
    assert.equal(event!['userName'], 'resetter');
    assert.equal((event!['callerContext'] as { clientId: string }).clientId, clientId);
    const request = event!['request'] as { userAttributes: Record<string, string>; clientMetadata: Record<string, string> };
    assert.equal(request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.equal(request.userAttributes['email'], address);
    assert.deepEqual(request.clientMetadata, { k: 'v' });

    fns.plan('post-confirmation', { throw: 'audit down' });
    await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'resetter' }));
    const second = await c.inbox.nextCode(address);
    const refused = await failure(
      c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'resetter', ConfirmationCode: second, Password: PASSWORD })),
    );
    assert.equal(refused, 'UserLambdaValidationException: PostConfirmation failed with error audit down.');
    const signedIn = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'resetter', PASSWORD } }),
    );
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  });
});

describe('PostConfirmation on the managed confirmation page', () => {
  it("shows the function's error, with the user confirmed all the same", async () => {
    const { clientId: pageClient } = await createClient(c, poolId, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    });
    const authorize = { response_type: 'code', client_id: pageClient, redirect_uri: CALLBACK, scope: 'openid' };
    const { code } = await signedUp('paged', email('paged'));
    fns.plan('post-confirmation', { throw: 'Welcome mail failed' });
    const answer = await postPage(await openPage(c.url, '/confirm', authorize), '/confirm', { username: 'paged', code });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /PostConfirmation failed with error Welcome mail failed\./);
    assert.equal(fns.events('post-confirmation')[0]!['triggerSource'], 'PostConfirmation_ConfirmSignUp');
    assert.equal(await statusOf('paged'), 'CONFIRMED');
  });
});
