import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminUserGlobalSignOutCommand, GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { userFixtures } from './helpers/user-fixtures.ts';

describe('AdminUserGlobalSignOut', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const { email, newPool, newUser, signIn } = userFixtures(() => c);

  it('revokes every session: access tokens are refused at once, refresh tokens stop working', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'gus', { email: email('gus'), email_verified: 'true' });
    const one = (await signIn(clientId, 'gus')).AuthenticationResult!;
    const two = (await signIn(clientId, 'gus')).AuthenticationResult!;
    await c.anon.send(new GetUserCommand({ AccessToken: one.AccessToken! }));
    await c.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'gus' }));
    for (const t of [one, two]) {
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: t.AccessToken! })), {
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
      await assert.rejects(
        c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: t.RefreshToken! } })),
        { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' },
      );
    }
    // A new sign-in works: the user is signed out, not locked out.
    const fresh = (await signIn(clientId, 'gus')).AuthenticationResult!;
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: fresh.AccessToken! }))).Username, 'gus');
  });

  it('answers UserNotFoundException for an unknown user', async () => {
    const { poolId } = await newPool();
    await assert.rejects(c.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'nobody' })), {
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });
});
