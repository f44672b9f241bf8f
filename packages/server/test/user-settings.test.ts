import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminGetUserCommand, AdminSetUserSettingsCommand, GetUserCommand, SetUserSettingsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { userFixtures } from './helpers/user-fixtures.ts';

describe('AdminSetUserSettings and SetUserSettings', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const { email, newPool, newUser, signIn } = userFixtures(() => c);

  it('stores the legacy SMS MFAOptions, shown by AdminGetUser and GetUser, and clears them with an empty list', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'sam', { phone_number: '+15555550101', phone_number_verified: 'true' });
    const before = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    assert.equal(before.MFAOptions, undefined);
    await c.admin.send(
      new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: 'sam', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }),
    );
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
