import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminAddUserToGroupCommand, CreateGroupCommand, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { cognateCall } from './helpers/cognate.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { aliasPoolFixtures } from './helpers/user-fixtures.ts';

describe('ListUsersInGroup and archived users', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(async () => {
    await c.stop();
  });

  const { newPool, newUser } = aliasPoolFixtures(() => c);

  it('ListUsersInGroup leaves out ARCHIVED members, as ListUsers does', async () => {
    const poolId = await newPool();
    await newUser(poolId, 'ann');
    await newUser(poolId, 'bob');
    await c.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    for (const u of ['ann', 'bob']) await c.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: u, GroupName: 'staff' }));
    const archived = await cognateCall(c.url, 'AdminArchiveUser', { UserPoolId: poolId, Username: 'bob' }, c.credentials, { date: new Date(clock.now()) });
    assert.equal(archived.status, 200);
    const page = await c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    assert.deepEqual(
      page.Users!.map((u) => u.Username),
      ['ann'],
    );
    // Paging by one: the archived member neither shows nor ends the listing early.
    const first = await c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Limit: 1 }));
    assert.deepEqual(
      first.Users!.map((u) => u.Username),
      ['ann'],
    );
    assert.equal(first.NextToken, undefined);
  });
});
