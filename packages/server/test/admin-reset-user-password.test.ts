import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { attrs, FIXTURE_PASSWORD as PASSWORD, userFixtures } from './helpers/user-fixtures.ts';

describe('AdminResetUserPassword', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const { email, newPool, newUser, signIn } = userFixtures(() => c);

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
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'ivy',
        UserAttributes: attrs({ email: email('ivy'), email_verified: 'true' }),
        MessageAction: 'SUPPRESS',
      }),
    );
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
