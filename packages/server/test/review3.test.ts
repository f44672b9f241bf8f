import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  AdminGetUserCommand,
  AdminListUserAuthEventsCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { PRUNE_PER_CALL } from '../src/store/unknown-names.ts';
import { cognateCall } from './helpers/cognate.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Fixes from the review of issue 3: the loose ends its builders reported.

const PASSWORD = 'Passw0rd!';
const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));
const userNotFound = { name: 'UserNotFoundException', message: 'User does not exist.' };

describe('review of issue 3', () => {
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
          PoolName: `review3-${++n}`,
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

  describe('unknown sign-in names: failures are pruned', () => {
    const countRows = async () => Number((await c.deps.store.db.selectFrom('unknown_name_failures').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const failUnder = async (clientId: string, name: string) =>
      assert.rejects(c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: name, PASSWORD: 'Wr0ng!Passw0rd' } })), {
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });

    it('drops names quiet for over 15 minutes (a bounded number per failure), keeps recent ones and those at the hard stop', async () => {
      const poolId = await newPool();
      const clientId = (
        await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
      ).UserPoolClient!.ClientId!;
      await c.deps.store.db.deleteFrom('unknown_name_failures').execute();
      const made = PRUNE_PER_CALL + 3;
      for (let i = 0; i < made; i++) await failUnder(clientId, `made-up-${i}`);
      // A name at the hard stop (100 consecutive failures), set directly rather than by 100 calls.
      await c.deps.store.db.insertInto('unknown_name_failures').values({ name_key: 'at-hard-stop', failed_attempts: 100, consecutive_failures: 100, last_failed_at: clock.now() }).execute();
      assert.equal(await countRows(), made + 1);

      clock.advance(15 * 60_000 + 1_000);
      await failUnder(clientId, 'fresh-1');
      assert.equal(await countRows(), made + 1 - PRUNE_PER_CALL + 1, `one failure prunes at most ${PRUNE_PER_CALL} quiet names`);
      await failUnder(clientId, 'fresh-2');
      const left = await c.deps.store.db.selectFrom('unknown_name_failures').select(['name_key', 'consecutive_failures']).execute();
      assert.equal(left.length, 3, 'the two recent names and the one at the hard stop remain');
      assert.ok(left.some((r) => r.name_key === 'at-hard-stop'), 'a name at the hard stop is never forgotten');
    });
  });

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

  it('AdminListUserAuthEvents pages through events that share a sequence number (concurrent appends on PostgreSQL) without skipping any', async () => {
    const poolId = await newPool({ threatProtection: true });
    const sub = await newUser(poolId, 'cat');
    // What two racing appends leave behind: max+1 read by both, so one seq twice.
    for (const id of ['ev-a', 'ev-b', 'ev-c']) {
      await c.deps.store.db
        .insertInto('auth_events')
        .values({ event_id: id, pool_id: poolId, sub, seq: id === 'ev-c' ? 8 : 7, event_type: 'SignIn', event_response: 'Fail', challenge_responses: '[]', ip_address: '10.0.0.1', device_name: 'Other, Other', created_at: clock.now() })
        .execute();
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'cat', MaxResults: 1, ...(token ? { NextToken: token } : {}) }));
      seen.push(...page.AuthEvents!.map((e) => e.EventId!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, ['ev-c', 'ev-b', 'ev-a'], 'newest first, ties broken by event id, each once');
  });

  describe("operator operations accept the user's sub as Username", () => {
    it('AdminGetUser finds a user by sub, in a pool with and without aliases', async () => {
      for (const AliasAttributes of [undefined, ['email' as const]]) {
        const poolId = await newPool(AliasAttributes ? { AliasAttributes } : {});
        const sub = await newUser(poolId, 'dee');
        const got = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: sub }));
        assert.equal(got.Username, 'dee');
        assert.equal(got.UserAttributes!.find((a) => a.Name === 'sub')!.Value, sub);
      }
    });

    it("another pool's sub is not found, and a sub does not sign in", async () => {
      const poolA = await newPool();
      const poolB = await newPool();
      const subA = await newUser(poolA, 'eve');
      await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolB, Username: subA })), userNotFound);
      await assert.rejects(c.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolB, Username: subA, GroupName: 'none' })), userNotFound);
      const clientId = (await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolA, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })))
        .UserPoolClient!.ClientId!;
      await assert.rejects(c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: subA, PASSWORD } })), userNotFound);
    });
  });
  describe('PreventUserExistenceErrors ENABLED: a disabled account answers as an unknown name does', () => {
    const limit = { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' };
    let clientId: string;
    let poolId: string;
    before(async () => {
      poolId = await newPool();
      clientId = (
        await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
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
        await assert.rejects(c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: name, ConfirmationCode: '123456', Password: 'short' })), {
          name: 'InvalidPasswordException',
          message: 'Password did not conform with policy: Password not long enough',
        });
        await assert.rejects(c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: name, ConfirmationCode: '123456', Password: 'Str0ng!Passw0rd' })), {
          name: 'CodeMismatchException',
          message: 'Invalid verification code provided, please try again.',
        });
      }
    });
  });
});
