import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminListUserSessionsCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { userFixtures } from './helpers/user-fixtures.ts';

describe('GetUserPoolSessionConfiguration and SetUserPoolSessionConfiguration', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const { email, newPool, newUser, signIn } = userFixtures(() => c);

  it('answers Cognito’s defaults for a pool never configured, and round-trips a configuration', async () => {
    const { poolId } = await newPool();
    assert.deepEqual(
      { ...(await c.admin.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }))), $metadata: undefined },
      { $metadata: undefined, UserPoolId: poolId, UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 20 } },
    );
    const set = await c.admin.send(
      new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 7 } }),
    );
    assert.equal(set.UserSessionTracking, 'ENABLED');
    assert.deepEqual(set.TokenSession, { MaxPerUser: 7 });
    assert.equal(set.UserPoolId, poolId);
    const got = await c.admin.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
    assert.equal(got.UserSessionTracking, 'ENABLED');
    assert.deepEqual(got.TokenSession, { MaxPerUser: 7 });

    // DescribeUserPool does not report it (UserPoolType has no such member); UpdateUserPool keeps it.
    const described = (await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool! as Record<string, unknown>;
    assert.equal(described.SessionConfiguration, undefined);
    assert.equal(described.UserSessionTracking, undefined);
    await c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTags: { team: 'a' } }));
    assert.deepEqual((await c.admin.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }))).TokenSession, { MaxPerUser: 7 });

    await c.admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 100 } }));
    const off = await c.admin.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
    assert.equal(off.UserSessionTracking, 'DISABLED');
    assert.deepEqual(off.TokenSession, { MaxPerUser: 100 });
  });

  it('refuses MaxPerUser outside 1..100, an unknown pool, and a Lite pool', async () => {
    const { poolId } = await newPool();
    for (const MaxPerUser of [0, 101]) {
      await assert.rejects(
        c.admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser } })),
        { name: 'InvalidParameterException' },
      );
    }
    await assert.rejects(c.admin.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: 'us-east-1_nope' })), { name: 'ResourceNotFoundException' });
    const lite = await newPool({ UserPoolTier: 'LITE' });
    await assert.rejects(
      c.admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: lite.poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 5 } })),
      { name: 'FeatureUnavailableInTierException' },
    );
    assert.equal((await c.admin.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: lite.poolId }))).UserSessionTracking, 'DISABLED');
  });

  it('with tracking ENABLED a sign-in past MaxPerUser revokes the oldest session; lowering the cap evicts only at the next sign-in; DISABLED caps nothing', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'kim', { email: email('kim') });
    const count = async () => (await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'kim' }))).Sessions!.length;
    const works = async (token: string) => (await c.anon.send(new GetUserCommand({ AccessToken: token }))).Username;

    // DISABLED (the default): no cap.
    const early: string[] = [];
    for (let i = 0; i < 4; i++) {
      early.push((await signIn(clientId, 'kim')).AuthenticationResult!.AccessToken!);
      clock.advance(1000);
    }
    assert.equal(await count(), 4);

    // Lowering to 2 with tracking on evicts nothing by itself.
    await c.admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 2 } }));
    assert.equal(await count(), 4);
    assert.equal(await works(early[0]!), 'kim');

    // The next sign-in brings the user back within the cap: the newest one stays with it.
    const fresh = (await signIn(clientId, 'kim')).AuthenticationResult!.AccessToken!;
    clock.advance(1000);
    assert.equal(await count(), 2);
    assert.equal(await works(fresh), 'kim');
    assert.equal(await works(early[3]!), 'kim');
    for (const t of early.slice(0, 3)) {
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: t })), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    }
    // One more: the oldest of the two goes.
    const newest = (await signIn(clientId, 'kim')).AuthenticationResult!.AccessToken!;
    assert.equal(await count(), 2);
    await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: early[3]! })), { name: 'NotAuthorizedException' });
    assert.equal(await works(fresh), 'kim');
    assert.equal(await works(newest), 'kim');

    // Tracking off again: no cap.
    await c.admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 2 } }));
    await signIn(clientId, 'kim');
    assert.equal(await count(), 3);
  });
});
