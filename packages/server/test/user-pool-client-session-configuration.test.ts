import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeUserPoolClientCommand,
  GetUserPoolClientSessionConfigurationCommand,
  SetUserPoolClientSessionConfigurationCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';
import { userFixtures } from './helpers/user-fixtures.ts';

describe('GetUserPoolClientSessionConfiguration and SetUserPoolClientSessionConfiguration', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  const { newPool } = userFixtures(() => c);

  it('answers 60 minutes for a client never configured and round-trips a setting, 0 included', async () => {
    const { poolId, clientId } = await newPool();
    const fresh = await c.admin.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.equal(fresh.UserPoolId, poolId);
    assert.equal(fresh.ClientId, clientId);
    assert.deepEqual(fresh.SSOSession, { MaxValidityMinutes: 60 });
    for (const MaxValidityMinutes of [43200, 0, 129600]) {
      const set = await c.admin.send(
        new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes } }),
      );
      assert.deepEqual([set.UserPoolId, set.ClientId, set.SSOSession], [poolId, clientId, { MaxValidityMinutes }]);
      assert.deepEqual((await c.admin.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).SSOSession, {
        MaxValidityMinutes,
      });
    }
  });

  it('is not part of DescribeUserPoolClient, and UpdateUserPoolClient keeps it', async () => {
    const { poolId, clientId } = await newPool();
    await c.admin.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 15 } }));
    const described = (await c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient! as Record<
      string,
      unknown
    >;
    assert.equal(described.SSOSession, undefined);
    await c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ClientName: 'renamed' }));
    assert.deepEqual((await c.admin.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).SSOSession, {
      MaxValidityMinutes: 15,
    });
  });

  it('refuses a value outside 0..129600, a client of another pool or none, and a Lite pool', async () => {
    const { poolId, clientId } = await newPool();
    const other = await newPool();
    for (const MaxValidityMinutes of [-1, 129601]) {
      await assert.rejects(
        c.admin.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes } })),
        { name: 'InvalidParameterException' },
      );
    }
    await assert.rejects(c.admin.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: other.poolId, ClientId: clientId })), {
      name: 'ResourceNotFoundException',
    });
    await assert.rejects(
      c.admin.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient1', SSOSession: { MaxValidityMinutes: 5 } })),
      { name: 'ResourceNotFoundException' },
    );
    const lite = await newPool({ UserPoolTier: 'LITE' });
    await assert.rejects(
      c.admin.send(
        new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: lite.poolId, ClientId: lite.clientId, SSOSession: { MaxValidityMinutes: 5 } }),
      ),
      { name: 'FeatureUnavailableInTierException' },
    );
    assert.deepEqual((await c.admin.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: lite.poolId, ClientId: lite.clientId }))).SSOSession, {
      MaxValidityMinutes: 60,
    });
  });
});
