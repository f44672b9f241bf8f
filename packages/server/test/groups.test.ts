import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CreateGroupCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { attrs as attributeList, createConfirmedUser, createPoolAndClient, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const ROLE_ADMIN = 'arn:aws:iam::123456789012:role/admin';
const ROLE_EDITOR = 'arn:aws:iam::123456789012:role/editor';
const ROLE_READER = 'arn:aws:iam::123456789012:role/reader';

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
/** The same sealed token with one character of its body changed. */
const tamper = (token: string) => {
  const i = Math.floor(token.length / 2);
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
};

describe('user-pool groups', () => {
  // Operator calls are signed with the SDK's clock and checked against the server's.
  const clock = new FakeClock(Date.now());
  let c: Running;
  let missingPool: string;
  before(async () => {
    c = await startCognate({ clock });
    missingPool = `${c.deps.config.region}_Missing00`;
  });
  after(() => c.stop());

  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) => {
    const { poolId, clientId } = await createPoolAndClient(c, { pool: input });
    return { poolId, clientId };
  };
  const newUser = (poolId: string, username: string, attrs: Record<string, string> = {}) =>
    createConfirmedUser(c, poolId, username, { password: PASSWORD, attributes: attributeList(attrs) });
  const createGroup = (poolId: string, input: Partial<CreateGroupCommandInput> & { GroupName: string }) =>
    c.admin.send(new CreateGroupCommand({ UserPoolId: poolId, ...input }));
  const add = (poolId: string, Username: string, GroupName: string) =>
    c.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username, GroupName }));
  const remove = (poolId: string, Username: string, GroupName: string) =>
    c.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username, GroupName }));
  const groupsOf = async (poolId: string, Username: string) =>
    (await c.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username }))).Groups!.map((g) => g.GroupName);
  const membersOf = async (poolId: string, GroupName: string) =>
    (await c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName }))).Users!.map((u) => u.Username);
  const adminSignIn = async (poolId: string, clientId: string, username: string) =>
    (
      await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      )
    ).AuthenticationResult!;
  const signIn = async (clientId: string, username: string) => (await passwordSignIn(c, clientId, username, PASSWORD)).AuthenticationResult!;
  const refresh = async (clientId: string, token: string) =>
    (await c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } })))
      .AuthenticationResult!;
  const rowCount = async (table: 'groups' | 'user_groups', poolId: string) =>
    Number(
      (
        await c.deps.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('pool_id', '=', poolId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('CreateGroup and GetGroup', () => {
    it('creates a group and returns it as GroupType; GetGroup returns the same', async () => {
      const { poolId } = await newPool();
      const created = (await createGroup(poolId, { GroupName: 'admins', Description: 'The admins', RoleArn: ROLE_ADMIN, Precedence: 0 })).Group!;
      const second = Math.floor(clock.now() / 1000) * 1000;
      assert.deepEqual(
        { ...created, CreationDate: created.CreationDate!.getTime(), LastModifiedDate: created.LastModifiedDate!.getTime() },
        {
          GroupName: 'admins',
          UserPoolId: poolId,
          Description: 'The admins',
          RoleArn: ROLE_ADMIN,
          Precedence: 0,
          CreationDate: second,
          LastModifiedDate: second,
        },
      );
      assert.deepEqual((await c.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group, created);
    });

    it('leaves out Description, RoleArn and Precedence when not given', async () => {
      const { poolId } = await newPool();
      const group = (await createGroup(poolId, { GroupName: 'plain' })).Group!;
      assert.equal(group.Description, undefined);
      assert.equal(group.RoleArn, undefined);
      assert.equal(group.Precedence, undefined);
    });

    it('a second group of the same name: GroupExistsException; names are case-sensitive', async () => {
      const { poolId } = await newPool();
      await createGroup(poolId, { GroupName: 'admins', Precedence: 1 });
      await assert.rejects(createGroup(poolId, { GroupName: 'admins', Precedence: 2 }), {
        name: 'GroupExistsException',
        message: 'A group with the name admins already exists.',
      });
      const kept = (await c.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group!;
      assert.equal(kept.Precedence, 1, 'the refused create changed nothing');
      await createGroup(poolId, { GroupName: 'Admins' });
      // The same name in another pool is another group.
      const other = await newPool();
      await createGroup(other.poolId, { GroupName: 'admins' });
    });

    it('an unknown pool: ResourceNotFoundException', async () => {
      await assert.rejects(createGroup(missingPool, { GroupName: 'x' }), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missingPool} does not exist.`,
      });
      await assert.rejects(c.admin.send(new GetGroupCommand({ UserPoolId: missingPool, GroupName: 'x' })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missingPool} does not exist.`,
      });
    });

    it('GetGroup of an unknown group: ResourceNotFoundException "Group not found."', async () => {
      const { poolId } = await newPool();
      await assert.rejects(c.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'nobody' })), {
        name: 'ResourceNotFoundException',
        message: 'Group not found.',
      });
    });

    it('bad input (negative precedence, malformed role ARN, name with spaces): InvalidParameterException and nothing written', async () => {
      const { poolId } = await newPool();
      await assert.rejects(createGroup(poolId, { GroupName: 'g', Precedence: -1 }), {
        name: 'InvalidParameterException',
        message: "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
      });
      await assert.rejects(createGroup(poolId, { GroupName: 'g', RoleArn: 'not-an-arn-but-long-enough' }), (err: Error) => {
        assert.equal(err.name, 'InvalidParameterException');
        assert.match(
          err.message,
          /^1 validation error detected: Value 'not-an-arn-but-long-enough' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern/,
        );
        return true;
      });
      await assert.rejects(createGroup(poolId, { GroupName: 'two words' }), (err: Error) => {
        assert.equal(err.name, 'InvalidParameterException');
        assert.match(err.message, /at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
        return true;
      });
      assert.equal(await rowCount('groups', poolId), 0);
    });

    it('a pool holds at most 10,000 groups: the next CreateGroup is LimitExceededException', async () => {
      const { poolId } = await newPool();
      const now = clock.now();
      // The 10,000 rows in statements of 500: one round trip per group made this fixture outlast
      // --database-timeout on PostgreSQL when the machine was busy.
      const rows = Array.from({ length: 10_000 }, (_, i) => ({
        pool_id: poolId,
        name: `g${i}`,
        description: null,
        role_arn: null,
        precedence: null,
        created_at: now,
        updated_at: now,
      }));
      for (let i = 0; i < rows.length; i += 500)
        await c.deps.store.db
          .insertInto('groups')
          .values(rows.slice(i, i + 500))
          .execute();
      await assert.rejects(createGroup(poolId, { GroupName: 'one-too-many' }), {
        name: 'LimitExceededException',
        message: 'The user pool already has the maximum number of groups (10000).',
      });
      assert.equal(await rowCount('groups', poolId), 10_000);
    });
  });

  describe('UpdateGroup', () => {
    it('changes only the members given, keeps CreationDate, moves LastModifiedDate', async () => {
      const { poolId } = await newPool();
      const created = (await createGroup(poolId, { GroupName: 'editors', Description: 'old', RoleArn: ROLE_EDITOR, Precedence: 5 })).Group!;
      clock.advance(10_000);
      const updated = (await c.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Precedence: 2 }))).Group!;
      assert.equal(updated.Precedence, 2);
      assert.equal(updated.Description, 'old');
      assert.equal(updated.RoleArn, ROLE_EDITOR);
      assert.equal(updated.CreationDate!.getTime(), created.CreationDate!.getTime());
      assert.equal(updated.LastModifiedDate!.getTime(), Math.floor(clock.now() / 1000) * 1000);
      const again = (await c.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Description: 'new', RoleArn: ROLE_READER }))).Group!;
      assert.deepEqual(again, (await c.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Group);
      assert.equal(again.Description, 'new');
      assert.equal(again.RoleArn, ROLE_READER);
      assert.equal(again.Precedence, 2);
    });

    it('an unknown group: ResourceNotFoundException "Group not found."', async () => {
      const { poolId } = await newPool();
      await assert.rejects(c.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'ghost', Precedence: 1 })), {
        name: 'ResourceNotFoundException',
        message: 'Group not found.',
      });
      assert.equal(await rowCount('groups', poolId), 0);
    });
  });

  describe('DeleteGroup', () => {
    it('deletes the group and its memberships; a second delete is ResourceNotFoundException', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'alice');
      await createGroup(poolId, { GroupName: 'doomed' });
      await createGroup(poolId, { GroupName: 'kept' });
      await add(poolId, 'alice', 'doomed');
      await add(poolId, 'alice', 'kept');
      await c.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' }));
      await assert.rejects(c.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' })), {
        name: 'ResourceNotFoundException',
        message: 'Group not found.',
      });
      assert.deepEqual(await groupsOf(poolId, 'alice'), ['kept']);
      assert.equal(await rowCount('user_groups', poolId), 1);
      await assert.rejects(c.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' })), {
        name: 'ResourceNotFoundException',
        message: 'Group not found.',
      });
    });
  });

  describe('ListGroups', () => {
    it('pages through a pool in name order with a sealed NextToken', async () => {
      const { poolId } = await newPool();
      for (const name of ['echo', 'alpha', 'delta', 'charlie', 'bravo']) await createGroup(poolId, { GroupName: name });
      const first = await c.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
      assert.deepEqual(
        first.Groups!.map((g) => g.GroupName),
        ['alpha', 'bravo'],
      );
      assert.equal(first.Groups![0]!.UserPoolId, poolId);
      const second = await c.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: first.NextToken! }));
      assert.deepEqual(
        second.Groups!.map((g) => g.GroupName),
        ['charlie', 'delta'],
      );
      const third = await c.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: second.NextToken! }));
      assert.deepEqual(
        third.Groups!.map((g) => g.GroupName),
        ['echo'],
      );
      assert.equal(third.NextToken, undefined);
      const all = await c.admin.send(new ListGroupsCommand({ UserPoolId: poolId }));
      assert.equal(all.Groups!.length, 5);
      assert.equal(all.NextToken, undefined);
    });

    it('a tampered token, or one from another pool: InvalidParameterException', async () => {
      const a = await newPool();
      const b = await newPool();
      for (const name of ['a1', 'a2', 'a3']) await createGroup(a.poolId, { GroupName: name });
      await createGroup(b.poolId, { GroupName: 'b1' });
      const token = (await c.admin.send(new ListGroupsCommand({ UserPoolId: a.poolId, Limit: 1 }))).NextToken!;
      await assert.rejects(c.admin.send(new ListGroupsCommand({ UserPoolId: a.poolId, Limit: 1, NextToken: tamper(token) })), {
        name: 'InvalidParameterException',
        message: 'Invalid pagination token.',
      });
      await assert.rejects(c.admin.send(new ListGroupsCommand({ UserPoolId: b.poolId, Limit: 1, NextToken: token })), {
        name: 'InvalidParameterException',
        message: 'Invalid pagination token.',
      });
    });

    it('Limit 0 is refused; an unknown pool is ResourceNotFoundException', async () => {
      const { poolId } = await newPool();
      await assert.rejects(c.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 0 })), {
        name: 'InvalidParameterException',
        message: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      });
      await assert.rejects(c.admin.send(new ListGroupsCommand({ UserPoolId: missingPool })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missingPool} does not exist.`,
      });
    });
  });

  describe('AdminAddUserToGroup and AdminRemoveUserFromGroup', () => {
    it('adds a member; adding again succeeds and changes nothing', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'bob');
      await createGroup(poolId, { GroupName: 'team' });
      await add(poolId, 'bob', 'team');
      await add(poolId, 'bob', 'team');
      assert.deepEqual(await groupsOf(poolId, 'bob'), ['team']);
      assert.deepEqual(await membersOf(poolId, 'team'), ['bob']);
      assert.equal(await rowCount('user_groups', poolId), 1);
    });

    it('removes a member; removing a non-member succeeds and changes nothing', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'carol');
      await newUser(poolId, 'dave');
      await createGroup(poolId, { GroupName: 'team' });
      await add(poolId, 'carol', 'team');
      await add(poolId, 'dave', 'team');
      await remove(poolId, 'carol', 'team');
      await remove(poolId, 'carol', 'team');
      assert.deepEqual(await groupsOf(poolId, 'carol'), []);
      assert.deepEqual(await membersOf(poolId, 'team'), ['dave']);
    });

    it('unknown user: UserNotFoundException; unknown group: ResourceNotFoundException; unknown pool: ResourceNotFoundException', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'erin');
      await createGroup(poolId, { GroupName: 'team' });
      for (const op of [add, remove]) {
        await assert.rejects(op(poolId, 'nobody', 'team'), { name: 'UserNotFoundException', message: 'User does not exist.' });
        await assert.rejects(op(poolId, 'erin', 'ghost'), { name: 'ResourceNotFoundException', message: 'Group not found.' });
        await assert.rejects(op(missingPool, 'erin', 'team'), { name: 'ResourceNotFoundException', message: `User pool ${missingPool} does not exist.` });
      }
      assert.equal(await rowCount('user_groups', poolId), 0);
    });

    it('a user of another pool is not found', async () => {
      const a = await newPool();
      const b = await newPool();
      await newUser(b.poolId, 'frank');
      await createGroup(a.poolId, { GroupName: 'team' });
      await assert.rejects(add(a.poolId, 'frank', 'team'), { name: 'UserNotFoundException', message: 'User does not exist.' });
    });

    it('accepts the sign-in email where the pool signs in with email (UsernameAttributes)', async () => {
      const { poolId } = await newPool({ UsernameAttributes: ['email'] });
      const user = await newUser(poolId, 'gina@example.com', { email: 'gina@example.com', email_verified: 'true' });
      await createGroup(poolId, { GroupName: 'team' });
      await add(poolId, 'gina@example.com', 'team');
      assert.deepEqual(await groupsOf(poolId, 'gina@example.com'), ['team']);
      assert.deepEqual(await membersOf(poolId, 'team'), [user.Username]);
      await remove(poolId, 'gina@example.com', 'team');
      assert.deepEqual(await membersOf(poolId, 'team'), []);
    });

    it('a user can be in at most 100 groups: the 101st add is LimitExceededException', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'hank');
      for (let i = 0; i < 101; i++) await createGroup(poolId, { GroupName: `g${String(i).padStart(3, '0')}` });
      for (let i = 0; i < 100; i++) await add(poolId, 'hank', `g${String(i).padStart(3, '0')}`);
      await assert.rejects(add(poolId, 'hank', 'g100'), { name: 'LimitExceededException', message: 'A user can be a member of at most 100 groups.' });
      // Re-adding an existing membership at the limit is still the silent no-op.
      await add(poolId, 'hank', 'g000');
      assert.equal(await rowCount('user_groups', poolId), 100);
    });
  });

  describe('AdminListGroupsForUser', () => {
    it('lists by precedence (null last, then name), paged with a sealed token bound to the user', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'ivy');
      await newUser(poolId, 'jack');
      await createGroup(poolId, { GroupName: 'none-b' });
      await createGroup(poolId, { GroupName: 'none-a' });
      await createGroup(poolId, { GroupName: 'ten', Precedence: 10 });
      await createGroup(poolId, { GroupName: 'zero', Precedence: 0 });
      await createGroup(poolId, { GroupName: 'also-ten', Precedence: 10 });
      for (const g of ['none-b', 'none-a', 'ten', 'zero', 'also-ten']) {
        await add(poolId, 'ivy', g);
        await add(poolId, 'jack', g);
      }
      const names: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.admin.send(
          new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ivy', Limit: 2, ...(token ? { NextToken: token } : {}) }),
        );
        names.push(...page.Groups!.map((g) => g.GroupName!));
        token = page.NextToken;
        pages++;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(names, ['zero', 'also-ten', 'ten', 'none-a', 'none-b']);

      const first = await c.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ivy', Limit: 2 }));
      assert.equal(first.Groups![0]!.Precedence, 0);
      await assert.rejects(c.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ivy', NextToken: tamper(first.NextToken!) })), {
        name: 'InvalidParameterException',
        message: 'Invalid pagination token.',
      });
      await assert.rejects(c.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'jack', NextToken: first.NextToken! })), {
        name: 'InvalidParameterException',
        message: 'Invalid pagination token.',
      });
    });

    it('an unknown user: UserNotFoundException; a user in no group: an empty list', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'kim');
      await assert.rejects(c.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'nobody' })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      const out = await c.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'kim' }));
      assert.deepEqual(out.Groups, []);
      assert.equal(out.NextToken, undefined);
    });
  });

  describe('ListUsersInGroup', () => {
    it('pages through members as UserType in creation order with a sealed token bound to the group', async () => {
      const { poolId } = await newPool();
      await createGroup(poolId, { GroupName: 'crew' });
      await createGroup(poolId, { GroupName: 'other' });
      const names = ['u1', 'u2', 'u3', 'u4', 'u5'];
      for (const name of names) {
        await newUser(poolId, name, { name: `Name ${name}` });
        clock.advance(1000);
        await add(poolId, name, 'crew');
        await add(poolId, name, 'other');
      }
      await newUser(poolId, 'outsider');
      const seen: string[] = [];
      let token: string | undefined;
      let firstToken: string | undefined;
      do {
        const page = await c.admin.send(
          new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'crew', Limit: 2, ...(token ? { NextToken: token } : {}) }),
        );
        const u = page.Users![0]!;
        assert.equal(u.Enabled, true);
        assert.equal(u.UserStatus, 'CONFIRMED');
        assert.ok(u.UserCreateDate instanceof Date);
        assert.equal(u.Attributes![0]!.Name, 'sub');
        assert.equal(u.Attributes!.find((a) => a.Name === 'name')!.Value, `Name ${u.Username}`);
        seen.push(...page.Users!.map((x) => x.Username!));
        token = page.NextToken;
        firstToken ??= token;
      } while (token);
      assert.deepEqual(seen, names);
      await assert.rejects(c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'crew', NextToken: tamper(firstToken!) })), {
        name: 'InvalidParameterException',
        message: 'Invalid pagination token.',
      });
      await assert.rejects(c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'other', NextToken: firstToken! })), {
        name: 'InvalidParameterException',
        message: 'Invalid pagination token.',
      });
    });

    it('an unknown group: ResourceNotFoundException "Group not found."', async () => {
      const { poolId } = await newPool();
      await assert.rejects(c.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'ghost' })), {
        name: 'ResourceNotFoundException',
        message: 'Group not found.',
      });
    });
  });

  describe('cascades', () => {
    it('deleting a user removes their memberships', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'leo');
      await newUser(poolId, 'mia');
      await createGroup(poolId, { GroupName: 'team' });
      await add(poolId, 'leo', 'team');
      await add(poolId, 'mia', 'team');
      await c.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'leo' }));
      assert.deepEqual(await membersOf(poolId, 'team'), ['mia']);
      assert.equal(await rowCount('user_groups', poolId), 1);
    });

    it('deleting a pool leaves no groups or memberships behind', async () => {
      const { poolId } = await newPool();
      await newUser(poolId, 'ned');
      await createGroup(poolId, { GroupName: 'team' });
      await add(poolId, 'ned', 'team');
      await c.deps.store.db.deleteFrom('user_pools').where('id', '=', poolId).execute();
      assert.equal(await rowCount('groups', poolId), 0);
      assert.equal(await rowCount('user_groups', poolId), 0);
    });
  });

  describe('token claims', () => {
    it('a user in no group: no cognito:groups, cognito:roles or cognito:preferred_role', async () => {
      const { poolId, clientId } = await newPool();
      await newUser(poolId, 'olga');
      const tokens = await adminSignIn(poolId, clientId, 'olga');
      for (const token of [tokens.AccessToken!, tokens.IdToken!]) {
        const claims = payloadOf(token);
        assert.equal('cognito:groups' in claims, false);
        assert.equal('cognito:roles' in claims, false);
        assert.equal('cognito:preferred_role' in claims, false);
      }
    });

    it('AdminInitiateAuth: groups by precedence in both tokens; roles and the preferred role only in the ID token', async () => {
      const { poolId, clientId } = await newPool();
      await newUser(poolId, 'pat');
      await createGroup(poolId, { GroupName: 'readers', RoleArn: ROLE_READER, Precedence: 20 });
      await createGroup(poolId, { GroupName: 'admins', RoleArn: ROLE_ADMIN, Precedence: 1 });
      await createGroup(poolId, { GroupName: 'newsletter' });
      for (const g of ['readers', 'admins', 'newsletter']) await add(poolId, 'pat', g);
      const tokens = await adminSignIn(poolId, clientId, 'pat');
      const access = payloadOf(tokens.AccessToken!);
      const id = payloadOf(tokens.IdToken!);
      assert.deepEqual(access['cognito:groups'], ['admins', 'readers', 'newsletter']);
      assert.equal('cognito:roles' in access, false);
      assert.equal('cognito:preferred_role' in access, false);
      assert.deepEqual(id['cognito:groups'], ['admins', 'readers', 'newsletter']);
      assert.deepEqual(id['cognito:roles'], [ROLE_ADMIN, ROLE_READER]);
      assert.equal(id['cognito:preferred_role'], ROLE_ADMIN);
    });

    it('InitiateAuth (USER_PASSWORD_AUTH): the same claims; equal precedence with different roles sets no preferred role', async () => {
      const { poolId, clientId } = await newPool();
      await newUser(poolId, 'quinn');
      await createGroup(poolId, { GroupName: 'editors', RoleArn: ROLE_EDITOR, Precedence: 3 });
      await createGroup(poolId, { GroupName: 'readers', RoleArn: ROLE_READER, Precedence: 3 });
      await add(poolId, 'quinn', 'editors');
      await add(poolId, 'quinn', 'readers');
      const tokens = await signIn(clientId, 'quinn');
      const id = payloadOf(tokens.IdToken!);
      assert.deepEqual(payloadOf(tokens.AccessToken!)['cognito:groups'], ['editors', 'readers']);
      assert.deepEqual(id['cognito:groups'], ['editors', 'readers']);
      assert.deepEqual(id['cognito:roles'], [ROLE_EDITOR, ROLE_READER]);
      assert.equal('cognito:preferred_role' in id, false);
      // Giving both the same role makes it the preferred one.
      await c.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', RoleArn: ROLE_EDITOR }));
      const after = payloadOf((await signIn(clientId, 'quinn')).IdToken!);
      assert.deepEqual(after['cognito:roles'], [ROLE_EDITOR]);
      assert.equal(after['cognito:preferred_role'], ROLE_EDITOR);
    });

    it('membership and group changes show in the next tokens (refresh), and removal takes the claims away', async () => {
      const { poolId, clientId } = await newPool();
      await newUser(poolId, 'rita');
      await createGroup(poolId, { GroupName: 'admins', RoleArn: ROLE_ADMIN, Precedence: 0 });
      await createGroup(poolId, { GroupName: 'editors', RoleArn: ROLE_EDITOR, Precedence: 5 });
      await add(poolId, 'rita', 'admins');
      await add(poolId, 'rita', 'editors');
      const first = await signIn(clientId, 'rita');
      assert.equal(payloadOf(first.IdToken!)['cognito:preferred_role'], ROLE_ADMIN);

      await remove(poolId, 'rita', 'admins');
      const second = await refresh(clientId, first.RefreshToken!);
      assert.deepEqual(payloadOf(second.AccessToken!)['cognito:groups'], ['editors']);
      assert.deepEqual(payloadOf(second.IdToken!)['cognito:roles'], [ROLE_EDITOR]);
      assert.equal(payloadOf(second.IdToken!)['cognito:preferred_role'], ROLE_EDITOR);

      await c.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }));
      const third = await refresh(clientId, first.RefreshToken!);
      for (const token of [third.AccessToken!, third.IdToken!]) {
        const claims = payloadOf(token);
        assert.equal('cognito:groups' in claims, false);
        assert.equal('cognito:roles' in claims, false);
        assert.equal('cognito:preferred_role' in claims, false);
      }
    });
  });
});
