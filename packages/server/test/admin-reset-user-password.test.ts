import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

describe('AdminResetUserPassword', () => {
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

  it('sets RESET_REQUIRED, mails a reset code, refuses sign-in until ConfirmForgotPassword', async () => {
    const { poolId, clientId } = await newPool();
    const address = email('reset');
    await newUser(poolId, 'rosa', { email: address, email_verified: 'true' });
    await c.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'rosa', ClientMetadata: { why: 'test' } }));
    const got = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'rosa' }));
    assert.equal(got.UserStatus, 'RESET_REQUIRED');
    const code = await c.inbox.nextCode(address);
    await assert.rejects(signIn(clientId, 'rosa'), { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' });
    await c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'rosa', ConfirmationCode: code, Password: 'N3w-Passw0rd!' }));
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'rosa' }))).UserStatus, 'CONFIRMED');
    assert.ok((await signIn(clientId, 'rosa', 'N3w-Passw0rd!')).AuthenticationResult?.AccessToken);
    await assert.rejects(signIn(clientId, 'rosa', PASSWORD), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('refuses a user with no verified email or phone, and changes nothing', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'uma', { email: email('unverified') });
    await assert.rejects(c.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'uma' })), {
      name: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'uma' }))).UserStatus, 'CONFIRMED');
    assert.ok((await signIn(clientId, 'uma')).AuthenticationResult?.AccessToken);
  });

  it('refuses an invited user who still has a temporary password, and an unknown user', async () => {
    const { poolId } = await newPool();
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ivy', UserAttributes: attrs({ email: email('ivy'), email_verified: 'true' }), MessageAction: 'SUPPRESS' }));
    await assert.rejects(c.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'ivy' })), {
      name: 'NotAuthorizedException',
      message: 'User password cannot be reset in the current state.',
    });
    await assert.rejects(c.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'nobody' })), {
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });
});
