import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createConfirmedUser, createPoolAndClient, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The token service takes the scopes a token family grants (the OAuth
// endpoints will grant what a client asks for and may have); a family
// remembers them through every refresh, and the user-pool API's
// access-token operations require aws.cognito.signin.user.admin, answering
// as Cognito does without it.

const scopeOf = (token: string): unknown => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).scope;

describe('access-token scopes', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  async function familyWith(scopes: readonly string[] | undefined) {
    const { poolId, clientId } = await createPoolAndClient(c);
    const username = `u-${Math.random().toString(36).slice(2)}`;
    await createConfirmedUser(c, poolId, username);
    const store = c.deps.store;
    const [pool, client, user] = await Promise.all([store.pools.pool(poolId), store.pools.client(clientId), store.users.byUsername(poolId, username)]);
    const result = await store.transaction((tx) => c.deps.tokens.signIn(tx, pool!, client!, user!, null, ...(scopes ? [scopes] : [])));
    return { clientId, username, result };
  }

  const refresh = (clientId: string, refreshToken: string) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }));

  it('an API sign-in grants aws.cognito.signin.user.admin, and its refreshes keep it', async () => {
    const { poolId, clientId } = await createPoolAndClient(c);
    await createConfirmedUser(c, poolId, 'api-user');
    const signedIn = (await passwordSignIn(c, clientId, 'api-user')).AuthenticationResult!;
    assert.equal(scopeOf(signedIn.AccessToken!), 'aws.cognito.signin.user.admin');
    const refreshed = (await refresh(clientId, signedIn.RefreshToken!)).AuthenticationResult!;
    assert.equal(scopeOf(refreshed.AccessToken!), 'aws.cognito.signin.user.admin');
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: refreshed.AccessToken! }))).Username, 'api-user');
  });

  it('a family granted other scopes carries them in every access token, refreshes included, and GetUser refuses it as Cognito does', async () => {
    const { clientId, result } = await familyWith(['openid', 'email']);
    assert.equal(scopeOf(result.AccessToken!), 'openid email');
    await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: result.AccessToken! })), {
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
    const refreshed = (await refresh(clientId, result.RefreshToken!)).AuthenticationResult!;
    assert.equal(scopeOf(refreshed.AccessToken!), 'openid email');
  });

  it('a family granted aws.cognito.signin.user.admin among others may call the user-pool API', async () => {
    const { username, result } = await familyWith(['openid', 'aws.cognito.signin.user.admin']);
    assert.equal(scopeOf(result.AccessToken!), 'openid aws.cognito.signin.user.admin');
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: result.AccessToken! }))).Username, username);
  });
});
