import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type AuthenticationResultType,
  type CreateUserPoolCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import * as srp from '../src/crypto/srp.ts';
import { FakeClock } from '../src/services/clock.ts';
import { DEFAULT_ARCHIVE_RETENTION_DAYS, markCompromised, purgeArchivedUsers } from '../src/services/lifecycle.ts';
import { cognateCall } from './helpers/cognate.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { claim, largeA, newHelper, passwordKey, poolNameOf } from './helpers/srp-client.ts';

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w!Passw0rd';
const TEMP = 'Temp0rary!x';
const WRONG = 'Wr0ng!pass';
const SECOND = 1000;
const DAY = 86_400_000;

const disabled = { name: 'NotAuthorizedException', message: 'User is disabled.' };
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const resetRequired = { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' };
const accessRevoked = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
const refreshRevoked = { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' };
const tempExpired = { name: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.' };
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

describe('User lifecycle: ARCHIVED, COMPROMISED, disabled, expired temporary passwords', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  /** A CognateService call signed with the operator key at the server's time; the parsed error or result. */
  const cognate = async (operation: string, input: object | string) => cognateCall(c.url, operation, input, c.credentials, { date: new Date(clock.now()) });
  const ok = async (operation: string, input: object) => {
    const res = await cognate(operation, input);
    assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const fails = async (operation: string, input: object | string, expected: { name: string; message?: string }) => {
    const res = await cognate(operation, input);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body['__type'], expected.name);
    assert.equal(res.headers.get('x-amzn-errortype'), expected.name);
    if (expected.message !== undefined) assert.equal(res.body['message'], expected.message);
  };

  let n = 0;
  const setup = async (pool: Partial<CreateUserPoolCommandInput> = {}) => {
    const poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: `lifecycle-${++n}`, ...pool }))).UserPool!.Id!;
    const client = await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: FLOWS }));
    return { poolId, clientId: client.UserPoolClient!.ClientId! };
  };
  const email = (name: string) => `${name}-${n}@example.com`;
  /** A CONFIRMED user with a verified email (so ForgotPassword can reach it). */
  const confirmedUser = async (poolId: string, username: string) => {
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: TEMP,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email(username) },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const invitedUser = (poolId: string, username: string) =>
    c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' }));
  const status = async (poolId: string, username: string) =>
    (await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

  const signIn = (clientId: string, username: string, password: string) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const adminSignIn = (poolId: string, clientId: string, username: string, password: string) =>
    c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  /** USER_SRP_AUTH through to the PASSWORD_VERIFIER answer, as amazon-cognito-identity-js does it. */
  const srpSignIn = async (poolId: string, clientId: string, username: string, password: string) => {
    const helper = newHelper(poolNameOf(poolId));
    const A = await largeA(helper);
    const step = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A.toString(16) } }),
    );
    const p = step.ChallengeParameters!;
    const key = await passwordKey(helper, p['USER_ID_FOR_SRP']!, password, p['SRP_B']!, p['SALT']!);
    const timestamp = srp.formatTimestamp(clock.now());
    const signature = claim(key, poolNameOf(poolId), p['USER_ID_FOR_SRP']!, p['SECRET_BLOCK']!, timestamp);
    return c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: p['USER_ID_FOR_SRP']!,
          PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
          TIMESTAMP: timestamp,
          PASSWORD_CLAIM_SIGNATURE: signature,
        },
      }),
    );
  };
  const tokensOf = async (clientId: string, username: string, password = PASSWORD): Promise<AuthenticationResultType> =>
    (await signIn(clientId, username, password)).AuthenticationResult!;
  const getUser = (token: string) => c.anon.send(new GetUserCommand({ AccessToken: token }));
  const refresh = (clientId: string, token: string) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
  const getTokens = (clientId: string, token: string) => c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token }));
  const listed = async (poolId: string, filter?: string) =>
    (await c.admin.send(new ListUsersCommand({ UserPoolId: poolId, ...(filter ? { Filter: filter } : {}) })))
      .Users!.map((u) => `${u.Username}:${u.UserStatus}`)
      .sort();
  const forgot = (clientId: string, username: string) => c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const resetWithCode = async (clientId: string, username: string, password: string) => {
    await forgot(clientId, username);
    const code = await c.inbox.nextCode(email(username));
    await c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: password }));
  };

  describe('the CognateService namespace', () => {
    it('answers an unknown CognateService operation with UnknownOperationException and no message', async () => {
      const res = await cognate('AdminFrobnicateUser', {});
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { __type: 'UnknownOperationException' });
    });

    it('refuses an unsigned call with MissingAuthenticationTokenException', async () => {
      const { poolId } = await setup();
      const res = await cognateCall(c.url, 'GetUserPoolLifecycleConfiguration', { UserPoolId: poolId }, null);
      assert.equal(res.body['__type'], 'MissingAuthenticationTokenException');
      assert.equal(res.body['message'], 'Missing Authentication Token');
    });

    it('refuses an unknown access key with UnrecognizedClientException, and a wrong secret with InvalidSignatureException', async () => {
      const { poolId } = await setup();
      const date = new Date(clock.now());
      const unknown = await cognateCall(
        c.url,
        'GetUserPoolLifecycleConfiguration',
        { UserPoolId: poolId },
        { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' },
        { date },
      );
      assert.equal(unknown.body['__type'], 'UnrecognizedClientException');
      assert.equal(unknown.body['message'], 'The security token included in the request is invalid.');
      const forged = await cognateCall(
        c.url,
        'GetUserPoolLifecycleConfiguration',
        { UserPoolId: poolId },
        { accessKeyId: c.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
        { date },
      );
      assert.equal(forged.body['__type'], 'InvalidSignatureException');
      assert.match(String(forged.body['message']), /^The request signature we calculated does not match/);
    });

    it('validates input as the Cognito namespace does: missing members, wrong types, ranges, patterns, bad JSON', async () => {
      await fails(
        'AdminArchiveUser',
        {},
        {
          name: 'InvalidParameterException',
          message:
            "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; Value null at 'username' failed to satisfy constraint: Member must not be null",
        },
      );
      await fails(
        'AdminArchiveUser',
        { UserPoolId: 'us-east-1_abc', Username: 7 },
        { name: 'SerializationException', message: 'NUMBER_VALUE can not be converted to a String' },
      );
      await fails(
        'AdminArchiveUser',
        { UserPoolId: 'no pool', Username: 'x' },
        {
          name: 'InvalidParameterException',
          message:
            "1 validation error detected: Value 'no pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
        },
      );
      // Usernames are sensitive: their value is left out of the message.
      await fails(
        'AdminArchiveUser',
        { UserPoolId: 'us-east-1_abc', Username: 'a'.repeat(129) },
        {
          name: 'InvalidParameterException',
          message: "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
        },
      );
      await fails(
        'SetUserPoolLifecycleConfiguration',
        { UserPoolId: 'us-east-1_abc', ArchiveRetentionDays: 0 },
        {
          name: 'InvalidParameterException',
          message:
            "1 validation error detected: Value '0' at 'archiveRetentionDays' failed to satisfy constraint: Member must have value greater than or equal to 1",
        },
      );
      await fails(
        'SetUserPoolLifecycleConfiguration',
        { UserPoolId: 'us-east-1_abc', ArchiveRetentionDays: 3651 },
        {
          name: 'InvalidParameterException',
          message:
            "1 validation error detected: Value '3651' at 'archiveRetentionDays' failed to satisfy constraint: Member must have value less than or equal to 3650",
        },
      );
      await fails(
        'SetUserPoolLifecycleConfiguration',
        { UserPoolId: 'us-east-1_abc', ArchiveRetentionDays: 1.5 },
        { name: 'SerializationException', message: 'NUMBER_VALUE can not be converted to an Integer' },
      );
      await fails(
        'SetUserPoolLifecycleConfiguration',
        { UserPoolId: 'us-east-1_abc', ArchiveRetentionDays: '30' },
        { name: 'SerializationException', message: 'STRING_VALUE can not be converted to an Integer' },
      );
      const bad = await cognate('AdminArchiveUser', '{"UserPoolId": ');
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { __type: 'SerializationException' });
      const array = await cognate('AdminArchiveUser', '[]');
      assert.deepEqual(array.body, { __type: 'SerializationException' });
    });

    it('answers an unknown pool with ResourceNotFoundException and an unknown user with UserNotFoundException', async () => {
      const { poolId } = await setup();
      const missing = `${c.deps.config.region}_Missing00`;
      await fails(
        'AdminArchiveUser',
        { UserPoolId: missing, Username: 'x' },
        { name: 'ResourceNotFoundException', message: `User pool ${missing} does not exist.` },
      );
      await fails(
        'GetUserPoolLifecycleConfiguration',
        { UserPoolId: missing },
        { name: 'ResourceNotFoundException', message: `User pool ${missing} does not exist.` },
      );
      for (const op of ['AdminArchiveUser', 'AdminRestoreUser', 'AdminMarkUserCompromised']) {
        await fails(op, { UserPoolId: poolId, Username: 'nobody' }, { name: 'UserNotFoundException', message: 'User does not exist.' });
      }
    });

    it('leaves the Cognito namespace without the CognateService operations', async () => {
      const { poolId } = await setup();
      const { signedCall } = await import('./helpers/raw.ts');
      const res = await signedCall(c.url, 'AdminArchiveUser', { UserPoolId: poolId, Username: 'x' }, c.credentials, { date: new Date(clock.now()) });
      assert.deepEqual(res.body, { __type: 'UnknownOperationException' });
    });
  });

  describe('SetUserPoolLifecycleConfiguration / GetUserPoolLifecycleConfiguration', () => {
    it(`reports the default ArchiveRetentionDays (${DEFAULT_ARCHIVE_RETENTION_DAYS}) until one is set, then the one set`, async () => {
      const { poolId } = await setup();
      assert.deepEqual(await ok('GetUserPoolLifecycleConfiguration', { UserPoolId: poolId }), { UserPoolId: poolId, ArchiveRetentionDays: 365 });
      assert.deepEqual(await ok('SetUserPoolLifecycleConfiguration', { UserPoolId: poolId, ArchiveRetentionDays: 30 }), {
        UserPoolId: poolId,
        ArchiveRetentionDays: 30,
      });
      assert.deepEqual(await ok('GetUserPoolLifecycleConfiguration', { UserPoolId: poolId }), { UserPoolId: poolId, ArchiveRetentionDays: 30 });
      await ok('SetUserPoolLifecycleConfiguration', { UserPoolId: poolId, ArchiveRetentionDays: 3650 });
      assert.equal((await ok('GetUserPoolLifecycleConfiguration', { UserPoolId: poolId }))['ArchiveRetentionDays'], 3650);
    });
  });

  describe('ARCHIVED', () => {
    it('AdminArchiveUser: AdminGetUser shows ARCHIVED, every existing token fails at once', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'amy');
      const tokens = await tokensOf(clientId, 'amy');
      await getUser(tokens.AccessToken!);
      assert.deepEqual(await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'amy' }), {});
      assert.equal(await status(poolId, 'amy'), 'ARCHIVED');
      await assert.rejects(getUser(tokens.AccessToken!), accessRevoked);
      await assert.rejects(refresh(clientId, tokens.RefreshToken!), refreshRevoked);
      await assert.rejects(getTokens(clientId, tokens.RefreshToken!), refreshRevoked);
    });

    it('refuses every sign-in with "User is disabled." after the right password, and a wrong one as usual', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'ben');
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'ben' });
      await assert.rejects(signIn(clientId, 'ben', PASSWORD), disabled);
      await assert.rejects(adminSignIn(poolId, clientId, 'ben', PASSWORD), disabled);
      await assert.rejects(srpSignIn(poolId, clientId, 'ben', PASSWORD), disabled);
      await assert.rejects(signIn(clientId, 'ben', WRONG), incorrect);
      await assert.rejects(srpSignIn(poolId, clientId, 'ben', WRONG), incorrect);
    });

    it('refuses password recovery (ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword) as for a disabled user, and AdminSetUserPassword with UnsupportedUserStateException', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'cid');
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'cid' });
      await assert.rejects(forgot(clientId, 'cid'), disabled);
      await assert.rejects(
        c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'cid', ConfirmationCode: '123456', Password: NEW_PASSWORD })),
        disabled,
      );
      await assert.rejects(c.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'cid' })), disabled);
      await assert.rejects(c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'cid', Password: NEW_PASSWORD, Permanent: true })), {
        name: 'UnsupportedUserStateException',
        message: 'User is archived; restore it before setting a password.',
      });
      assert.equal(await status(poolId, 'cid'), 'ARCHIVED');
      await assert.rejects(signIn(clientId, 'cid', NEW_PASSWORD), incorrect);
    });

    it('is hidden from ListUsers, except when the filter asks for the status', async () => {
      const { poolId } = await setup();
      await confirmedUser(poolId, 'dee');
      await confirmedUser(poolId, 'eve');
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'dee' });
      assert.deepEqual(await listed(poolId), ['eve:CONFIRMED']);
      assert.deepEqual(await listed(poolId, 'username = "dee"'), []);
      assert.deepEqual(await listed(poolId, 'cognito:user_status = "ARCHIVED"'), ['dee:ARCHIVED']);
      assert.deepEqual(await listed(poolId, 'cognito:user_status = "archived"'), ['dee:ARCHIVED']);
      assert.deepEqual(await listed(poolId, 'cognito:user_status = "CONFIRMED"'), ['eve:CONFIRMED']);
    });

    it('cannot be archived twice (UnsupportedUserStateException)', async () => {
      const { poolId } = await setup();
      await confirmedUser(poolId, 'fay');
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'fay' });
      await fails('AdminArchiveUser', { UserPoolId: poolId, Username: 'fay' }, { name: 'UnsupportedUserStateException', message: 'User is already archived.' });
    });

    it('AdminRestoreUser returns the status from before; the user signs in again, old tokens stay revoked', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'gus');
      const tokens = await tokensOf(clientId, 'gus');
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'gus' });
      assert.deepEqual(await ok('AdminRestoreUser', { UserPoolId: poolId, Username: 'gus' }), { UserStatus: 'CONFIRMED' });
      assert.equal(await status(poolId, 'gus'), 'CONFIRMED');
      assert.ok((await signIn(clientId, 'gus', PASSWORD)).AuthenticationResult?.AccessToken);
      await assert.rejects(getUser(tokens.AccessToken!), accessRevoked);
      await assert.rejects(refresh(clientId, tokens.RefreshToken!), refreshRevoked);
      assert.deepEqual(await listed(poolId), ['gus:CONFIRMED']);
    });

    it('restores FORCE_CHANGE_PASSWORD, UNCONFIRMED and COMPROMISED users to those statuses', async () => {
      const { poolId, clientId } = await setup();
      await invitedUser(poolId, 'hal');
      await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'ida', Password: PASSWORD }));
      await confirmedUser(poolId, 'jo');
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'jo' });
      for (const [name, before] of [
        ['hal', 'FORCE_CHANGE_PASSWORD'],
        ['ida', 'UNCONFIRMED'],
        ['jo', 'COMPROMISED'],
      ] as const) {
        await ok('AdminArchiveUser', { UserPoolId: poolId, Username: name });
        assert.equal(await status(poolId, name), 'ARCHIVED');
        assert.deepEqual(await ok('AdminRestoreUser', { UserPoolId: poolId, Username: name }), { UserStatus: before });
        assert.equal(await status(poolId, name), before);
      }
      assert.equal((await signIn(clientId, 'hal', TEMP)).ChallengeName, 'NEW_PASSWORD_REQUIRED');
      await assert.rejects(signIn(clientId, 'jo', PASSWORD), resetRequired);
    });

    it('AdminRestoreUser refuses a user that is not archived (UnsupportedUserStateException)', async () => {
      const { poolId } = await setup();
      await confirmedUser(poolId, 'kim');
      await fails('AdminRestoreUser', { UserPoolId: poolId, Username: 'kim' }, { name: 'UnsupportedUserStateException', message: 'User is not archived.' });
      assert.equal(await status(poolId, 'kim'), 'CONFIRMED');
    });

    it('keeps a disabled user disabled across archive and restore', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'lou');
      await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'lou' }));
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'lou' });
      await ok('AdminRestoreUser', { UserPoolId: poolId, Username: 'lou' });
      const user = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lou' }));
      assert.equal(user.Enabled, false);
      assert.equal(user.UserStatus, 'CONFIRMED');
      await assert.rejects(signIn(clientId, 'lou', PASSWORD), disabled);
    });
  });

  describe('purge of archived users past retention', () => {
    it('purgeArchivedUsers deletes users archived longer than the default 365 days, and nothing else', async () => {
      const { poolId } = await setup();
      await confirmedUser(poolId, 'max');
      await confirmedUser(poolId, 'ned');
      await confirmedUser(poolId, 'oli');
      const archivedAt = clock.now();
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'max' });
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'ned' });
      await ok('AdminRestoreUser', { UserPoolId: poolId, Username: 'ned' });
      const sub = (await c.deps.store.users.byUsername(poolId, 'max'))!.sub;

      await purgeArchivedUsers(c.deps.store, archivedAt + 365 * DAY - 1);
      assert.equal(await status(poolId, 'max'), 'ARCHIVED', 'kept a millisecond before the retention ends');
      await purgeArchivedUsers(c.deps.store, archivedAt + 365 * DAY);
      await assert.rejects(status(poolId, 'max'), { name: 'UserNotFoundException', message: 'User does not exist.' });
      assert.equal(await c.deps.store.lifecycle.record(sub), null, 'its lifecycle row goes with it');
      assert.equal(await status(poolId, 'ned'), 'CONFIRMED', 'a restored user is kept');
      assert.equal(await status(poolId, 'oli'), 'CONFIRMED', 'a user never archived is kept');
    });

    it("uses each pool's ArchiveRetentionDays", async () => {
      const short = await setup();
      const long = await setup();
      await ok('SetUserPoolLifecycleConfiguration', { UserPoolId: short.poolId, ArchiveRetentionDays: 10 });
      await confirmedUser(short.poolId, 'pat');
      await confirmedUser(long.poolId, 'quin');
      const archivedAt = clock.now();
      await ok('AdminArchiveUser', { UserPoolId: short.poolId, Username: 'pat' });
      await ok('AdminArchiveUser', { UserPoolId: long.poolId, Username: 'quin' });
      assert.equal(await purgeArchivedUsers(c.deps.store, archivedAt + 10 * DAY - 1), 0);
      assert.ok((await purgeArchivedUsers(c.deps.store, archivedAt + 10 * DAY)) >= 1);
      await assert.rejects(status(short.poolId, 'pat'), { name: 'UserNotFoundException' });
      assert.equal(await status(long.poolId, 'quin'), 'ARCHIVED');
    });

    it('runs on the timer buildApp starts (--purge-interval), with the fake clock', async () => {
      const timerClock = new FakeClock(Date.now());
      const t = await startCognate({ clock: timerClock, config: { purgeIntervalSeconds: 1 } });
      try {
        const poolId = (await t.admin.send(new CreateUserPoolCommand({ PoolName: 'timer' }))).UserPool!.Id!;
        await t.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'rex', TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' }));
        const call = (op: string, input: object) => cognateCall(t.url, op, input, t.credentials, { date: new Date(timerClock.now()) });
        assert.equal((await call('SetUserPoolLifecycleConfiguration', { UserPoolId: poolId, ArchiveRetentionDays: 1 })).status, 200);
        assert.equal((await call('AdminArchiveUser', { UserPoolId: poolId, Username: 'rex' })).status, 200);
        const exists = async () => (await t.deps.store.users.byUsername(poolId, 'rex')) !== null;
        await new Promise((r) => setTimeout(r, 1500));
        assert.ok(await exists(), 'kept while the retention lasts, though the timer ran');
        timerClock.advance(DAY);
        const deadline = Date.now() + 5000;
        while ((await exists()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.equal(await exists(), false, 'the timer purged the user once its retention passed');
      } finally {
        await t.stop();
      }
    });
  });

  describe('COMPROMISED', () => {
    it('AdminMarkUserCompromised revokes every session at once', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'sam');
      const first = await tokensOf(clientId, 'sam');
      const second = await tokensOf(clientId, 'sam');
      assert.deepEqual(await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'sam' }), {});
      assert.equal(await status(poolId, 'sam'), 'COMPROMISED');
      for (const t of [first, second]) {
        await assert.rejects(getUser(t.AccessToken!), accessRevoked);
        await assert.rejects(refresh(clientId, t.RefreshToken!), refreshRevoked);
        await assert.rejects(getTokens(clientId, t.RefreshToken!), refreshRevoked);
      }
    });

    it('refuses every sign-in with PasswordResetRequiredException', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'tia');
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'tia' });
      await assert.rejects(signIn(clientId, 'tia', PASSWORD), resetRequired);
      await assert.rejects(adminSignIn(poolId, clientId, 'tia', PASSWORD), resetRequired);
      await assert.rejects(srpSignIn(poolId, clientId, 'tia', PASSWORD), resetRequired);
    });

    it('ForgotPassword + ConfirmForgotPassword make the user CONFIRMED with the new password', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'uma');
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'uma' });
      await resetWithCode(clientId, 'uma', NEW_PASSWORD);
      assert.equal(await status(poolId, 'uma'), 'CONFIRMED');
      await assert.rejects(signIn(clientId, 'uma', PASSWORD), incorrect);
      assert.ok((await signIn(clientId, 'uma', NEW_PASSWORD)).AuthenticationResult?.AccessToken);
    });

    it('AdminSetUserPassword ends it too: permanent → CONFIRMED, temporary → FORCE_CHANGE_PASSWORD', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'val');
      await confirmedUser(poolId, 'wes');
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'val' });
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'wes' });
      await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'val', Password: NEW_PASSWORD, Permanent: true }));
      assert.equal(await status(poolId, 'val'), 'CONFIRMED');
      assert.ok((await signIn(clientId, 'val', NEW_PASSWORD)).AuthenticationResult?.AccessToken);
      await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'wes', Password: NEW_PASSWORD, Permanent: false }));
      assert.equal(await status(poolId, 'wes'), 'FORCE_CHANGE_PASSWORD');
      assert.equal((await signIn(clientId, 'wes', NEW_PASSWORD)).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    });

    it('marking again is harmless; an archived user is refused (restore first)', async () => {
      const { poolId } = await setup();
      await confirmedUser(poolId, 'xan');
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'xan' });
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'xan' });
      assert.equal(await status(poolId, 'xan'), 'COMPROMISED');
      await confirmedUser(poolId, 'yul');
      await ok('AdminArchiveUser', { UserPoolId: poolId, Username: 'yul' });
      await fails(
        'AdminMarkUserCompromised',
        { UserPoolId: poolId, Username: 'yul' },
        {
          name: 'UnsupportedUserStateException',
          message: 'User is archived; restore it before marking it compromised.',
        },
      );
      assert.equal(await status(poolId, 'yul'), 'ARCHIVED');
    });

    it('markCompromised is a service function a detector can call, recording who marked the user', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'zed');
      const tokens = await tokensOf(clientId, 'zed');
      const user = (await c.deps.store.users.byUsername(poolId, 'zed'))!;
      await markCompromised(c.deps.store, clock, user, 'detector:breached-passwords');
      assert.equal(await status(poolId, 'zed'), 'COMPROMISED');
      await assert.rejects(getUser(tokens.AccessToken!), accessRevoked);
      const record = await c.deps.store.lifecycle.record(user.sub);
      assert.equal(record?.compromised_by, 'detector:breached-passwords');
      assert.equal(Number(record?.compromised_at), clock.now());
      await ok('AdminMarkUserCompromised', { UserPoolId: poolId, Username: 'zed' });
      assert.equal((await c.deps.store.lifecycle.record(user.sub))?.compromised_by, `operator:${c.credentials.accessKeyId}`);
    });
  });

  describe('disabled (Enabled: false)', () => {
    it('AdminDisableUser: existing access and refresh tokens fail at once, on every path', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'abe');
      const tokens = await tokensOf(clientId, 'abe');
      await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'abe' }));
      assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'abe' }))).Enabled, false);
      await assert.rejects(getUser(tokens.AccessToken!), accessRevoked);
      await assert.rejects(refresh(clientId, tokens.RefreshToken!), refreshRevoked);
      await assert.rejects(getTokens(clientId, tokens.RefreshToken!), refreshRevoked);
    });

    it('refuses every sign-in flow with "User is disabled."', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'bea');
      await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'bea' }));
      await assert.rejects(signIn(clientId, 'bea', PASSWORD), disabled);
      await assert.rejects(adminSignIn(poolId, clientId, 'bea', PASSWORD), disabled);
      await assert.rejects(srpSignIn(poolId, clientId, 'bea', PASSWORD), disabled);
    });

    it('refuses a NEW_PASSWORD_REQUIRED answer when the user was disabled while the challenge was open', async () => {
      const { poolId, clientId } = await setup();
      await invitedUser(poolId, 'cal');
      const step = await signIn(clientId, 'cal', TEMP);
      assert.equal(step.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'cal' }));
      await assert.rejects(
        c.anon.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: step.Session!,
            ChallengeResponses: { USERNAME: 'cal', NEW_PASSWORD },
          }),
        ),
        disabled,
      );
      assert.equal(await status(poolId, 'cal'), 'FORCE_CHANGE_PASSWORD', 'nothing changed');
    });

    it('AdminEnableUser lets the user sign in again; tokens from before stay revoked', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'dan');
      const tokens = await tokensOf(clientId, 'dan');
      await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dan' }));
      await c.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'dan' }));
      const fresh = await tokensOf(clientId, 'dan');
      assert.equal((await getUser(fresh.AccessToken!)).Username, 'dan');
      assert.ok((await srpSignIn(poolId, clientId, 'dan', PASSWORD)).AuthenticationResult?.AccessToken);
      await assert.rejects(getUser(tokens.AccessToken!), accessRevoked);
      await assert.rejects(refresh(clientId, tokens.RefreshToken!), refreshRevoked);
    });
  });

  describe('TemporaryPasswordValidityDays', () => {
    it('refuses an expired temporary password on every flow, only after the right password', async () => {
      const { poolId, clientId } = await setup({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 2 } } });
      await invitedUser(poolId, 'eli');
      clock.advance(2 * DAY - SECOND);
      assert.equal((await signIn(clientId, 'eli', TEMP)).ChallengeName, 'NEW_PASSWORD_REQUIRED', 'still valid a second before');
      clock.advance(SECOND);
      await assert.rejects(signIn(clientId, 'eli', TEMP), tempExpired);
      await assert.rejects(adminSignIn(poolId, clientId, 'eli', TEMP), tempExpired);
      await assert.rejects(srpSignIn(poolId, clientId, 'eli', TEMP), tempExpired);
      await assert.rejects(signIn(clientId, 'eli', WRONG), incorrect);
      assert.equal(await status(poolId, 'eli'), 'FORCE_CHANGE_PASSWORD');
    });

    it('AdminCreateUser with MessageAction RESEND issues a new temporary password with a fresh validity', async () => {
      const { poolId, clientId } = await setup({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } } });
      await invitedUser(poolId, 'flo');
      clock.advance(DAY);
      await assert.rejects(signIn(clientId, 'flo', TEMP), tempExpired);
      await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'flo', TemporaryPassword: 'Second!Temp0', MessageAction: 'RESEND' }));
      const step = await signIn(clientId, 'flo', 'Second!Temp0');
      assert.equal(step.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const out = await c.anon.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: step.Session!,
          ChallengeResponses: { USERNAME: 'flo', NEW_PASSWORD },
        }),
      );
      assert.ok(out.AuthenticationResult?.AccessToken);
      assert.equal(await status(poolId, 'flo'), 'CONFIRMED');
      clock.advance(DAY);
      assert.ok((await signIn(clientId, 'flo', NEW_PASSWORD)).AuthenticationResult, 'a permanent password does not expire');
    });

    it('an operator-set temporary password (AdminSetUserPassword) expires the same way', async () => {
      const { poolId, clientId } = await setup({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } } });
      await confirmedUser(poolId, 'gil');
      await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'gil', Password: NEW_PASSWORD, Permanent: false }));
      clock.advance(DAY);
      await assert.rejects(signIn(clientId, 'gil', NEW_PASSWORD), tempExpired);
    });
  });
});
