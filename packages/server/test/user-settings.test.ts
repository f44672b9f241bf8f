import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminSetUserSettingsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SetUserSettingsCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

describe('AdminSetUserSettings and SetUserSettings', () => {
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

  it('stores the legacy SMS MFAOptions, shown by AdminGetUser and GetUser, and clears them with an empty list', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'sam', { phone_number: '+15555550101', phone_number_verified: 'true' });
    const before = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    assert.equal(before.MFAOptions, undefined);
    await c.admin.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: 'sam', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
    const got = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    assert.deepEqual(got.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    const token = (await signIn(clientId, 'sam')).AuthenticationResult!.AccessToken!;
    assert.deepEqual((await c.anon.send(new GetUserCommand({ AccessToken: token }))).MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    await c.anon.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [] }));
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: token }))).MFAOptions, undefined);
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }))).MFAOptions, undefined);
  });

  it('refuses anything but SMS to phone_number, and stores nothing then', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'eve', { email: email('eve'), email_verified: 'true' });
    const message = 'Only the phone_number attribute with the SMS delivery medium is supported in MFAOptions.';
    await assert.rejects(
      c.admin.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: 'eve', MFAOptions: [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }] })),
      { name: 'InvalidParameterException', message },
    );
    const token = (await signIn(clientId, 'eve')).AuthenticationResult!.AccessToken!;
    await assert.rejects(c.anon.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'email' }] })), {
      name: 'InvalidParameterException',
      message,
    });
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'eve' }))).MFAOptions, undefined);
  });
});
