import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { cognateCall } from './helpers/cognate.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

describe('ListUsersInGroup and archived users', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(async () => {
    await c.stop();
  });

  let n = 0;
  const newPool = async (input: { AliasAttributes?: ('email' | 'phone_number' | 'preferred_username')[]; threatProtection?: boolean } = {}) =>
    (
      await c.admin.send(
        new CreateUserPoolCommand({
          PoolName: `pool-${++n}`,
          ...(input.AliasAttributes ? { AliasAttributes: input.AliasAttributes } : {}),
          ...(input.threatProtection ? { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } } : {}),
        }),
      )
    ).UserPool!.Id!;
  const newUser = async (poolId: string, username: string) => {
    await c.admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: `${username}-${++n}@example.com`, email_verified: 'true' }) }),
    );
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    return (await c.deps.store.users.byUsername(poolId, username))!.sub;
  };

  it('ListUsersInGroup leaves out ARCHIVED members, as ListUsers does', async () => {
    const poolId = await newPool();
    await newUser(poolId, 'ann');
    await newUser(poolId, 'bob');
    await c.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    for (const u of ['ann', 'bob']) await c.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: u, GroupName: 'staff' }));
    const archived = await cognateCall(c.url, 'AdminArchiveUser', { UserPoolId: poolId, Username: 'bob' }, c.credentials, { date: new Date(clock.now()) });
    assert.equal(archived.status, 200);
    const page = await c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    assert.deepEqual(page.Users!.map((u) => u.Username), ['ann']);
    // Paging by one: the archived member neither shows nor ends the listing early.
    const first = await c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Limit: 1 }));
    assert.deepEqual(first.Users!.map((u) => u.Username), ['ann']);
    assert.equal(first.NextToken, undefined);
  });
});
