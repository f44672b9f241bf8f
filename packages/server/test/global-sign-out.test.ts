import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

describe('AdminUserGlobalSignOut', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  let n = 0;
  const email = (tag: string) => `${tag}-${++n}@example.com`;
  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}, client: { WriteAttributes?: string[] } = {}) => {
    const poolId = (
      await c.admin.send(
        new CreateUserPoolCommand({
          PoolName: 'pool',
          AutoVerifiedAttributes: ['email'],
          Schema: [
            { Name: 'email', AttributeDataType: 'String', Required: false, Mutable: true },
            { Name: 'custom:tier', AttributeDataType: 'String', Mutable: false },
          ],
          ...input,
        }),
      )
    ).UserPool!.Id!;
    const created = await c.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...client }),
    );
    return { poolId, clientId: created.UserPoolClient!.ClientId! };
  };
  /** A CONFIRMED user with a permanent password and the given attributes. */
  const newUser = async (poolId: string, username: string, a: Record<string, string>) => {
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, UserAttributes: attrs(a), MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const signIn = (clientId: string, username: string, password = PASSWORD) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

  it("revokes every session: access tokens are refused at once, refresh tokens stop working", async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'gus', { email: email('gus'), email_verified: 'true' });
    const one = (await signIn(clientId, 'gus')).AuthenticationResult!;
    const two = (await signIn(clientId, 'gus')).AuthenticationResult!;
    await c.anon.send(new GetUserCommand({ AccessToken: one.AccessToken! }));
    await c.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'gus' }));
    for (const t of [one, two]) {
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: t.AccessToken! })), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
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
