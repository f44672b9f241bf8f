import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetUserCommand,
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserSessionsCommand,
  RevokeUserSessionCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { userFixtures } from './helpers/user-fixtures.ts';

describe('User sessions (ListUserSessions, RevokeUserSession and their Admin twins)', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const { email, newPool, newUser, signIn } = userFixtures(() => c);

  const refresh = (clientId: string, t: AuthenticationResultType) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: t.RefreshToken! } }));

  const assertRevoked = async (clientId: string, t: AuthenticationResultType) => {
    await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: t.AccessToken! })), {
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    await assert.rejects(refresh(clientId, t), { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  };

  const assertWorks = async (clientId: string, t: AuthenticationResultType, username: string) => {
    assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: t.AccessToken! }))).Username, username);
    assert.ok((await refresh(clientId, t)).AuthenticationResult?.AccessToken);
  };

  it('lists each live sign-in of the user as a TOKEN session, across app clients, with the fields the SDK types', async () => {
    const { poolId, clientId } = await newPool();
    const other = (
      await c.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'other',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await newUser(poolId, 'ann', { email: email('ann') });
    await newUser(poolId, 'bob', { email: email('bob') });
    const before = clock.now();
    const one = (await signIn(clientId, 'ann')).AuthenticationResult!;
    clock.advance(2000);
    const two = (await signIn(other, 'ann')).AuthenticationResult!;
    await signIn(clientId, 'bob');

    const listed = await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'ann' }));
    assert.equal(listed.NextToken, undefined);
    const sessions = listed.Sessions!;
    assert.equal(sessions.length, 2);
    // Newest first.
    assert.deepEqual(
      sessions.map((s) => s.ClientId),
      [other, clientId],
    );
    for (const s of sessions) {
      assert.match(s.SessionId!, /^tkn[a-z0-9]{25}$/);
      assert.equal(s.SessionType, 'TOKEN');
      assert.ok(s.CreateDate instanceof Date);
      assert.ok(s.LastActiveDate instanceof Date);
      assert.ok(s.CreateDate.getTime() >= Math.floor(before / 1000) * 1000);
      assert.equal(s.IsCurrentSession, false);
    }
    assert.notEqual(sessions[0]!.SessionId, sessions[1]!.SessionId);

    // The user's own view marks the session of the access token given; the ids are the same.
    const own = (await c.anon.send(new ListUserSessionsCommand({ AccessToken: one.AccessToken! }))).Sessions!;
    assert.deepEqual(
      own.map((s) => [s.SessionId, s.IsCurrentSession]),
      [
        [sessions[0]!.SessionId, false],
        [sessions[1]!.SessionId, true],
      ],
    );
    const fromTwo = (await c.anon.send(new ListUserSessionsCommand({ AccessToken: two.AccessToken! }))).Sessions!;
    assert.deepEqual(
      fromTwo.map((s) => s.IsCurrentSession),
      [true, false],
    );
    // Refreshing stays within the family: still two sessions.
    await refresh(clientId, one);
    assert.equal((await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'ann' }))).Sessions!.length, 2);
  });

  it('AdminRevokeUserSession revokes one session: its access and refresh tokens are refused, the others keep working and it leaves the list', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'cat', { email: email('cat') });
    const one = (await signIn(clientId, 'cat')).AuthenticationResult!;
    const two = (await signIn(clientId, 'cat')).AuthenticationResult!;
    const target = (await c.anon.send(new ListUserSessionsCommand({ AccessToken: one.AccessToken! }))).Sessions!.find((s) => s.IsCurrentSession)!;

    await c.admin.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'cat', SessionId: target.SessionId! }));
    await assertRevoked(clientId, one);
    await assertWorks(clientId, two, 'cat');
    const left = (await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'cat' }))).Sessions!;
    assert.deepEqual(
      left.map((s) => s.SessionId),
      (await c.anon.send(new ListUserSessionsCommand({ AccessToken: two.AccessToken! }))).Sessions!.map((s) => s.SessionId),
    );
    assert.equal(left.length, 1);
    assert.notEqual(left[0]!.SessionId, target.SessionId);

    // Revoked already, or not this user's: ResourceNotFoundException.
    await assert.rejects(c.admin.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'cat', SessionId: target.SessionId! })), {
      name: 'ResourceNotFoundException',
    });
  });

  it('AdminRevokeUserSession needs the session to be the named user’s', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'dan', { email: email('dan') });
    await newUser(poolId, 'eve', { email: email('eve') });
    const dan = (await signIn(clientId, 'dan')).AuthenticationResult!;
    const [session] = (await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'dan' }))).Sessions!;
    await assert.rejects(c.admin.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'eve', SessionId: session!.SessionId! })), {
      name: 'ResourceNotFoundException',
    });
    await assertWorks(clientId, dan, 'dan');
    await assert.rejects(c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'nobody' })), {
      name: 'UserNotFoundException',
    });
    await assert.rejects(c.admin.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'nobody', SessionId: session!.SessionId! })), {
      name: 'UserNotFoundException',
    });
  });

  it('RevokeUserSession revokes one of the caller’s own sessions, LINKED or not; another user’s session is not found', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'fay', { email: email('fay') });
    await newUser(poolId, 'gil', { email: email('gil') });
    const one = (await signIn(clientId, 'fay')).AuthenticationResult!;
    const two = (await signIn(clientId, 'fay')).AuthenticationResult!;
    const three = (await signIn(clientId, 'fay')).AuthenticationResult!;
    const gil = (await signIn(clientId, 'gil')).AuthenticationResult!;
    const idOf = async (t: AuthenticationResultType) =>
      (await c.anon.send(new ListUserSessionsCommand({ AccessToken: t.AccessToken! }))).Sessions!.find((s) => s.IsCurrentSession)!.SessionId!;
    const twoId = await idOf(two);
    const threeId = await idOf(three);

    await assert.rejects(c.anon.send(new RevokeUserSessionCommand({ AccessToken: gil.AccessToken!, SessionId: twoId })), {
      name: 'ResourceNotFoundException',
    });
    await assertWorks(clientId, two, 'fay');

    // From one session, sign out another (a lost device).
    await c.anon.send(new RevokeUserSessionCommand({ AccessToken: one.AccessToken!, SessionId: twoId }));
    await assertRevoked(clientId, two);
    await assertWorks(clientId, one, 'fay');
    await assertWorks(clientId, three, 'fay');

    // LINKED: a token family has no SSO parent in Cognate, so only it goes; and a session may revoke itself.
    await c.anon.send(new RevokeUserSessionCommand({ AccessToken: three.AccessToken!, SessionId: threeId, RevokeAssociatedSessions: 'LINKED' }));
    await assertRevoked(clientId, three);
    await assertWorks(clientId, one, 'fay');
    await assertWorks(clientId, gil, 'gil');
    assert.equal((await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'fay' }))).Sessions!.length, 1);
  });

  it('pages past 125 sessions with a sealed NextToken, each session once, ties on the creation time included', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'ivy', { email: email('ivy') });
    await newUser(poolId, 'jon', { email: email('jon') });
    const sub = (await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ivy' }))).UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
    const now = clock.now();
    // 130 families, many created in the same millisecond, as concurrent sign-ins can be.
    for (let i = 0; i < 130; i++) {
      await c.deps.store.db
        .insertInto('sessions')
        .values({
          origin_jti: `paging-${String(i).padStart(3, '0')}`,
          pool_id: poolId,
          client_id: clientId,
          sub,
          refresh_hash: `paging-hash-${i}`,
          auth_time: Math.floor(now / 1000),
          created_at: now - (i % 3),
          expires_at: now + 3600_000,
          revoked_at: null,
        })
        .execute();
    }
    const first = await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'ivy' }));
    assert.equal(first.Sessions!.length, 125);
    assert.ok(first.NextToken);
    const second = await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'ivy', NextToken: first.NextToken }));
    assert.equal(second.Sessions!.length, 5);
    assert.equal(second.NextToken, undefined);
    const ids = [...first.Sessions!, ...second.Sessions!].map((s) => s.SessionId!);
    assert.equal(new Set(ids).size, 130);
    const dates = [...first.Sessions!, ...second.Sessions!].map((s) => s.CreateDate!.getTime());
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
      'newest first',
    );

    // The token is bound to its listing: not another user's, not the other operation's, not edited.
    await assert.rejects(c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'jon', NextToken: first.NextToken })), {
      name: 'InvalidParameterException',
    });
    const ivy = (await signIn(clientId, 'ivy')).AuthenticationResult!;
    await assert.rejects(c.anon.send(new ListUserSessionsCommand({ AccessToken: ivy.AccessToken!, NextToken: first.NextToken })), {
      name: 'InvalidParameterException',
    });
    const own = await c.anon.send(new ListUserSessionsCommand({ AccessToken: ivy.AccessToken! }));
    assert.equal(own.Sessions!.length, 125);
    assert.equal(own.Sessions![0]!.IsCurrentSession, true);
    const rest = await c.anon.send(new ListUserSessionsCommand({ AccessToken: ivy.AccessToken!, NextToken: own.NextToken! }));
    assert.equal(rest.Sessions!.length, 6);
  });

  it('a revoked or expired session is not listed, and a revoked access token cannot list', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'hal', { email: email('hal') });
    const one = (await signIn(clientId, 'hal')).AuthenticationResult!;
    await c.anon.send(
      new RevokeUserSessionCommand({
        AccessToken: one.AccessToken!,
        SessionId: (await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'hal' }))).Sessions![0]!.SessionId!,
      }),
    );
    await assert.rejects(c.anon.send(new ListUserSessionsCommand({ AccessToken: one.AccessToken! })), { name: 'NotAuthorizedException' });
    assert.deepEqual((await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'hal' }))).Sessions, []);
    await signIn(clientId, 'hal');
    assert.equal((await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'hal' }))).Sessions!.length, 1);
    // The default refresh token lasts 30 days; past it the family is gone from the list.
    clock.advance(31 * 24 * 3600 * 1000);
    assert.deepEqual((await c.admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'hal' }))).Sessions, []);
  });
});
