import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  confirmResetPassword,
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  resendSignUpCode,
  resetPassword,
  signIn,
  signOut,
  signUp,
  updateUserAttributes,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { configureAmplify, MapStorage } from './helpers/amplify.ts';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Amplify v6 in Node, unmodified, configured with `userPoolEndpoint` pointing
// at Cognate. Its signIn default is SRP (USER_SRP_AUTH); the app client allows
// SRP and refresh only. Tokens go to a Map-backed store, as an app would give
// Amplify its own storage outside the browser.

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w!Passw0rd';

describe('Amplify v6 (aws-amplify/auth) against Cognate', () => {
  let c: Running;
  let clientId: string;
  const storage = new MapStorage();
  const email = 'amy@example.com';
  let username: string;

  before(async () => {
    c = await startCognate();
    const poolId = await createPool(c, {
      PoolName: 'amplify',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: true }],
    });
    ({ clientId } = await createClient(c, poolId, { ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    configureAmplify(c.url, poolId, clientId);
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  });
  after(() => c.stop());

  // One visitor's journey, in order: each step depends on the ones before.
  it('signUp › creates an unconfirmed user and mails a code', async () => {
    const out = await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email, name: 'Amy' } } });
    assert.equal(out.isSignUpComplete, false);
    assert.equal(out.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    assert.ok(out.userId, 'signUp returns the user ID');
    username = out.userId;
    assert.match(await c.inbox.nextCode(email), /^\d{6}$/);
  });

  it('signIn › sends the unconfirmed user to CONFIRM_SIGN_UP (UserNotConfirmedException), only with the right password', async () => {
    await assert.rejects(signIn({ username: email, password: 'Wr0ng!pass' }), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    // Amplify turns Cognito's UserNotConfirmedException into this next step.
    const out = await signIn({ username: email, password: PASSWORD });
    assert.equal(out.isSignedIn, false);
    assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_UP');
  });

  it('resendSignUpCode › mails a new code, and confirmSignUp › confirms with it', async () => {
    const resent = await resendSignUpCode({ username: email });
    assert.equal(resent.deliveryMedium, 'EMAIL');
    const code = await c.inbox.nextCode(email);
    const out = await confirmSignUp({ username: email, confirmationCode: code });
    assert.equal(out.isSignUpComplete, true);
  });

  it('signIn › refuses a wrong password with NotAuthorizedException "Incorrect username or password."', async () => {
    await assert.rejects(signIn({ username: email, password: 'Wr0ng!pass' }), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('signIn › signs in with the default SRP flow and stores the tokens', async () => {
    const out = await signIn({ username: email, password: PASSWORD });
    assert.equal(out.isSignedIn, true);
    assert.equal(out.nextStep.signInStep, 'DONE');
    assert.ok(
      [...storage.items.keys()].some((k) => k.endsWith('.accessToken')),
      'the access token is stored',
    );
    // The client allows no USER_PASSWORD_AUTH, so the tokens can only have come from SRP.
    await assert.rejects(
      c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } })),
      { name: 'InvalidParameterException' },
    );
  });

  it('getCurrentUser › names the signed-in user', async () => {
    const user = await getCurrentUser();
    assert.equal(user.userId, username);
    assert.equal(user.username, username);
    assert.equal(user.signInDetails?.loginId, email);
    assert.equal(user.signInDetails?.authFlowType, 'USER_SRP_AUTH');
  });

  it('fetchAuthSession({ forceRefresh: true }) › refreshes through GetTokensFromRefreshToken', async () => {
    const before = (await fetchAuthSession()).tokens!.accessToken;
    const after = (await fetchAuthSession({ forceRefresh: true })).tokens!.accessToken;
    assert.notEqual(after.toString(), before.toString(), 'a new access token');
    assert.equal(after.payload['origin_jti'], before.payload['origin_jti'], 'in the same token family');
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: after.toString() }))).Username, username);
  });

  it('fetchAuthSession › returns the stored tokens, which Cognate accepts', async () => {
    const session = await fetchAuthSession();
    const access = session.tokens?.accessToken;
    assert.ok(access, 'an access token is returned');
    assert.equal(access.payload['username'], username);
    assert.equal(access.payload['client_id'], clientId);
    assert.equal(session.tokens?.idToken?.payload['email'], email);
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: access.toString() }))).Username, username);
  });

  it('fetchUserAttributes › reads the attributes with the access token', async () => {
    const attrs = await fetchUserAttributes();
    assert.equal(attrs.email, email);
    assert.equal(attrs.email_verified, 'true');
    assert.equal(attrs.name, 'Amy');
    assert.equal(attrs.sub, username);
  });

  it('updateUserAttributes › changes an attribute', async () => {
    const out = await updateUserAttributes({ userAttributes: { name: 'Amy Pond' } });
    assert.equal(out.name?.isUpdated, true);
    assert.equal((await fetchUserAttributes()).name, 'Amy Pond');
  });

  it('signOut({ global: true }) › revokes every token of the user and clears the stored ones', async () => {
    const before = (await fetchAuthSession()).tokens!.accessToken.toString();
    await signOut({ global: true });
    await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: before })), { name: 'NotAuthorizedException' });
    assert.ok(![...storage.items.keys()].some((k) => k.endsWith('.accessToken')), 'no access token remains stored');
    await assert.rejects(getCurrentUser(), { name: 'UserUnAuthenticatedException' });
  });

  it('resetPassword and confirmResetPassword › set a new password with the mailed code', async () => {
    const out = await resetPassword({ username: email });
    assert.equal(out.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
    assert.equal(out.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    const code = await c.inbox.nextCode(email);
    await confirmResetPassword({ username: email, confirmationCode: code, newPassword: NEW_PASSWORD });
    await assert.rejects(signIn({ username: email, password: PASSWORD }), { name: 'NotAuthorizedException' });
    const again = await signIn({ username: email, password: NEW_PASSWORD });
    assert.equal(again.isSignedIn, true);
    await signOut();
  });
});
