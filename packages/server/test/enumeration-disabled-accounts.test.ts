import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminDisableUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { aliasPoolFixtures } from './helpers/user-fixtures.ts';

describe('PreventUserExistenceErrors ENABLED: a disabled account answers as an unknown name does', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(async () => {
    await c.stop();
  });

  const { newPool, newUser } = aliasPoolFixtures(() => c);

  const limit = { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' };
  let clientId: string;
  let poolId: string;
  before(async () => {
    poolId = await newPool();
    clientId = (
      await c.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          PreventUserExistenceErrors: 'ENABLED',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
  });
  const disabledUser = async (name: string) => {
    await newUser(poolId, name);
    await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: name }));
    return name;
  };

  for (const [op, send] of [
    ['ForgotPassword', (name: string) => c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: name }))],
    ['ResendConfirmationCode', (name: string) => c.anon.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: name }))],
  ] as const) {
    it(`${op}: the sixth request in an hour is refused for both`, async () => {
      const disabled = await disabledUser(`off-${op}`);
      for (const name of [disabled, `nobody-${op}`]) {
        for (let i = 0; i < 5; i++) assert.ok((await send(name)).CodeDeliveryDetails, `request ${i + 1} for ${name} is answered with a (simulated) delivery`);
        await assert.rejects(send(name), limit, `the sixth for ${name}`);
      }
    });
  }

  it('ConfirmForgotPassword: a password against the policy is refused before the code, for both', async () => {
    const disabled = await disabledUser('off-confirm');
    for (const name of [disabled, 'nobody-confirm']) {
      await assert.rejects(
        c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: name, ConfirmationCode: '123456', Password: 'short' })),
        {
          name: 'InvalidPasswordException',
          message: 'Password did not conform with policy: Password not long enough',
        },
      );
      await assert.rejects(
        c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: name, ConfirmationCode: '123456', Password: 'Str0ng!Passw0rd' })),
        {
          name: 'CodeMismatchException',
          message: 'Invalid verification code provided, please try again.',
        },
      );
    }
  });
});
