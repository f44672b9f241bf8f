import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserAttribute, type CognitoUserSession } from 'amazon-cognito-identity-js';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

// amazon-cognito-identity-js, unmodified, pointed at Cognate with the pool's
// `endpoint` option. Its authenticateUser is SRP (USER_SRP_AUTH); the app
// client here allows SRP and refresh only, so no password ever crosses the
// wire. The library keeps tokens in its in-memory storage under Node.

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w!Passw0rd';

type SignInOutcome =
  | { kind: 'signedIn'; session: CognitoUserSession }
  | { kind: 'newPasswordRequired'; userAttributes: Record<string, string>; requiredAttributes: string[] };

function authenticate(user: CognitoUser, password: string): Promise<SignInOutcome> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session) => resolve({ kind: 'signedIn', session }),
      onFailure: (err: Error) => reject(err),
      newPasswordRequired: (userAttributes: Record<string, string>, requiredAttributes: string[]) =>
        resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
    });
  });
}

async function signIn(user: CognitoUser, password: string): Promise<CognitoUserSession> {
  const outcome = await authenticate(user, password);
  if (outcome.kind !== 'signedIn') throw new Error(`expected tokens, got ${outcome.kind}`);
  return outcome.session;
}

const completeNewPassword = (user: CognitoUser, password: string) =>
  new Promise<CognitoUserSession>((resolve, reject) => user.completeNewPasswordChallenge(password, {}, { onSuccess: resolve, onFailure: reject }));

const changePassword = (user: CognitoUser, oldPassword: string, newPassword: string) =>
  new Promise<string>((resolve, reject) => user.changePassword(oldPassword, newPassword, (err, result) => (err ? reject(err) : resolve(result!))));

const forgotPassword = (user: CognitoUser) =>
  new Promise<{ CodeDeliveryDetails: { Destination: string; DeliveryMedium: string } }>((resolve, reject) =>
    user.forgotPassword({ onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve }),
  );

const confirmPassword = (user: CognitoUser, code: string, password: string) =>
  new Promise<string>((resolve, reject) => user.confirmPassword(code, password, { onSuccess: resolve, onFailure: reject }));

const getSession = (user: CognitoUser) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    user.getSession((err: Error | null, session: CognitoUserSession | null) => (err || !session ? reject(err) : resolve(session))),
  );

const refreshSession = (user: CognitoUser, session: CognitoUserSession) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err: Error | null, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
  );

const globalSignOut = (user: CognitoUser) => new Promise<string>((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));

const getUserAttributes = (user: CognitoUser) =>
  new Promise<CognitoUserAttribute[]>((resolve, reject) => user.getUserAttributes((err, attrs) => (err || !attrs ? reject(err) : resolve(attrs))));

describe('amazon-cognito-identity-js against Cognate', () => {
  let c: Running;
  let poolId: string;
  let pool: CognitoUserPool;
  before(async () => {
    c = await startCognate();
    poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'identity-js', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: client.UserPoolClient!.ClientId!, endpoint: c.url });
  });
  after(() => c.stop());

  /** A confirmed user with a verified email and PASSWORD, made by the operator. */
  const confirmedUser = async (username: string) => {
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const userNamed = (username: string) => new CognitoUser({ Username: username, Pool: pool });

  it('authenticateUser › signs in with SRP and keeps the session as the current user', async () => {
    await confirmedUser('alice');
    const user = userNamed('alice');
    assert.equal(user.getAuthenticationFlowType(), 'USER_SRP_AUTH');
    const session = await signIn(user, PASSWORD);
    assert.ok(session.isValid(), 'the session is valid');
    assert.equal(session.getAccessToken().decodePayload()['username'], 'alice');
    assert.equal(session.getIdToken().decodePayload()['email'], 'alice@example.com');
    assert.equal(pool.getCurrentUser()?.getUsername(), 'alice');
    const attrs = await getUserAttributes(user);
    assert.equal(attrs.find((a) => a.getName() === 'email')?.getValue(), 'alice@example.com');
  });

  it('authenticateUser › fails with NotAuthorizedException "Incorrect username or password." for a wrong password', async () => {
    await confirmedUser('bob');
    await assert.rejects(signIn(userNamed('bob'), 'Wr0ng!pass'), { code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('completeNewPasswordChallenge › sets the first password of an invited user and signs them in', async () => {
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'carol',
        TemporaryPassword: 'Temp0rary!x',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'carol@example.com' }],
      }),
    );
    const user = userNamed('carol');
    const outcome = await authenticate(user, 'Temp0rary!x');
    assert.equal(outcome.kind, 'newPasswordRequired');
    if (outcome.kind === 'newPasswordRequired') assert.equal(outcome.userAttributes['email'], 'carol@example.com');
    const session = await completeNewPassword(user, NEW_PASSWORD);
    assert.equal(session.getAccessToken().decodePayload()['username'], 'carol');
    assert.ok((await signIn(userNamed('carol'), NEW_PASSWORD)).isValid(), 'the new password signs in');
  });

  it('changePassword › replaces the password: the old one stops working, the new one signs in', async () => {
    await confirmedUser('dan');
    const user = userNamed('dan');
    await signIn(user, PASSWORD);
    assert.equal(await changePassword(user, PASSWORD, NEW_PASSWORD), 'SUCCESS');
    await assert.rejects(signIn(userNamed('dan'), PASSWORD), { code: 'NotAuthorizedException' });
    assert.ok((await signIn(userNamed('dan'), NEW_PASSWORD)).isValid(), 'the new password signs in');
  });

  it('forgotPassword and confirmPassword › reset the password with the code mailed to the user', async () => {
    await confirmedUser('erin');
    const user = userNamed('erin');
    const sent = await forgotPassword(user);
    assert.equal(sent.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
    const code = await c.inbox.nextCode('erin@example.com');
    await assert.rejects(confirmPassword(user, code === '000000' ? '111111' : '000000', NEW_PASSWORD), { code: 'CodeMismatchException' });
    assert.equal(await confirmPassword(user, code, NEW_PASSWORD), 'SUCCESS');
    assert.ok((await signIn(userNamed('erin'), NEW_PASSWORD)).isValid(), 'the new password signs in');
  });

  it('getSession and refreshSession › read the stored session back, then refresh it with the refresh token', async () => {
    await confirmedUser('finn');
    const first = await signIn(userNamed('finn'), PASSWORD);
    // A new CognitoUser object finds the session the library stored.
    const again = userNamed('finn');
    const stored = await getSession(again);
    assert.equal(stored.getAccessToken().getJwtToken(), first.getAccessToken().getJwtToken());
    const refreshed = await refreshSession(again, stored);
    assert.ok(refreshed.isValid(), 'the refreshed session is valid');
    assert.notEqual(refreshed.getAccessToken().getJwtToken(), first.getAccessToken().getJwtToken());
    assert.equal(refreshed.getAccessToken().decodePayload()['username'], 'finn');
    const me = await c.anon.send(new GetUserCommand({ AccessToken: refreshed.getAccessToken().getJwtToken() }));
    assert.equal(me.Username, 'finn');
  });

  it("globalSignOut › revokes the user's tokens: the access token and the refresh token are refused afterwards", async () => {
    await confirmedUser('gail');
    const user = userNamed('gail');
    const session = await signIn(user, PASSWORD);
    assert.equal(await globalSignOut(user), 'SUCCESS');
    await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() })), { name: 'NotAuthorizedException' });
    await assert.rejects(refreshSession(userNamed('gail'), session), { code: 'NotAuthorizedException' });
    assert.equal(pool.getCurrentUser(), null);
  });
});
