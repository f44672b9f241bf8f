import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { attrs, createClient, createConfirmedUser, createPool, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const TEMP = 'Temp0rary!x';
const NEW_PASSWORD = 'N3w!Passw0rd';
const WRONG = 'Wr0ng!pass';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const secretHash = (secret: string, username: string, clientId: string) =>
  createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');

describe('auth flows', () => {
  // Operator calls are signed with the SDK's clock and checked against the server's.
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const newPool = (input: Partial<CreateUserPoolCommandInput> = {}) => createPool(c, input);
  const newClient = (poolId: string, input: Partial<CreateUserPoolClientCommandInput> = {}) => createClient(c, poolId, input);
  /** A pool and a password client: the common case. */
  const setup = async (pool: Partial<CreateUserPoolCommandInput> = {}, client: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const poolId = await newPool(pool);
    return { poolId, ...(await newClient(poolId, client)) };
  };
  const createUser = async (poolId: string, username: string, userAttributes: Record<string, string> = {}, temporaryPassword = TEMP) => {
    const out = await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: temporaryPassword,
        MessageAction: 'SUPPRESS',
        UserAttributes: attrs(userAttributes),
      }),
    );
    return out.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
  };
  const confirmedUser = async (poolId: string, username: string, userAttributes: Record<string, string> = {}) => {
    const user = await createConfirmedUser(c, poolId, username, { temporaryPassword: TEMP, password: PASSWORD, attributes: attrs(userAttributes) });
    return user.Attributes!.find((a) => a.Name === 'sub')!.Value!;
  };
  const signIn = (clientId: string, username: string, password: string, extra: Record<string, string> = {}) =>
    passwordSignIn(c, clientId, username, password, extra);
  const refresh = (clientId: string, token: string, extra: Record<string, string> = {}) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token, ...extra } }));
  const respond = (clientId: string, session: string, responses: Record<string, string>) =>
    c.anon.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: responses }),
    );
  const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
  const locked = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };
  const invalidSession = { name: 'NotAuthorizedException', message: 'Invalid session for the user.' };

  describe('USER_PASSWORD_AUTH', () => {
    it('returns access, ID and refresh tokens for the right password', async () => {
      const { poolId, clientId } = await setup();
      const sub = await confirmedUser(poolId, 'alice');
      const out = await signIn(clientId, 'alice', PASSWORD);
      assert.equal(out.ChallengeName, undefined);
      const r = out.AuthenticationResult!;
      assert.ok(r.AccessToken && r.IdToken && r.RefreshToken);
      assert.equal(r.ExpiresIn, 3600);
      assert.equal(r.TokenType, 'Bearer');
      const access = claims(r.AccessToken);
      assert.equal(access['token_use'], 'access');
      assert.equal(access['username'], 'alice');
      assert.equal(access['client_id'], clientId);
      assert.equal(claims(r.IdToken)['sub'], sub);
    });

    it('refuses a wrong password with NotAuthorizedException "Incorrect username or password."', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'bob');
      await assert.rejects(signIn(clientId, 'bob', WRONG), incorrect);
    });

    it('refuses an unknown user with UserNotFoundException where PreventUserExistenceErrors is LEGACY', async () => {
      const { clientId } = await setup({}, { PreventUserExistenceErrors: 'LEGACY' });
      await assert.rejects(signIn(clientId, 'nobody', PASSWORD), { name: 'UserNotFoundException', message: 'User does not exist.' });
    });

    it('answers an unknown user as a wrong password where PreventUserExistenceErrors is ENABLED', async () => {
      const { clientId } = await setup({}, { PreventUserExistenceErrors: 'ENABLED' });
      await assert.rejects(signIn(clientId, 'nobody', PASSWORD), incorrect);
    });

    it('refuses the flow on a client that does not allow it with InvalidParameterException', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await confirmedUser(poolId, 'carl');
      await assert.rejects(signIn(clientId, 'carl', PASSWORD), {
        name: 'InvalidParameterException',
        message: 'USER_PASSWORD_AUTH flow not enabled for this client',
      });
    });

    it('signs in with the email where email is the username attribute', async () => {
      const { poolId, clientId } = await setup({ UsernameAttributes: ['email'] });
      const sub = await confirmedUser(poolId, 'dora@example.com');
      const out = await signIn(clientId, 'dora@example.com', PASSWORD);
      assert.equal(claims(out.AuthenticationResult!.AccessToken!)['username'], sub);
    });
  });

  describe('ADMIN_USER_PASSWORD_AUTH', () => {
    const adminSignIn = (poolId: string, clientId: string, username: string, password: string) =>
      c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );

    it('returns tokens through AdminInitiateAuth', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'ed');
      const out = await adminSignIn(poolId, clientId, 'ed', PASSWORD);
      assert.ok(out.AuthenticationResult?.AccessToken);
      assert.ok(out.AuthenticationResult.RefreshToken);
    });

    it('is refused through InitiateAuth with InvalidParameterException "Initiate Auth method not supported."', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'flo');
      await assert.rejects(
        c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'flo', PASSWORD } })),
        { name: 'InvalidParameterException', message: 'Initiate Auth method not supported.' },
      );
    });

    it('is refused on a client that does not allow it with InvalidParameterException "Auth flow not enabled for this client"', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
      await confirmedUser(poolId, 'gia');
      await assert.rejects(adminSignIn(poolId, clientId, 'gia', PASSWORD), {
        name: 'InvalidParameterException',
        message: 'Auth flow not enabled for this client',
      });
    });
  });

  describe('clients with a secret', () => {
    it('refuses a sign-in without SECRET_HASH with NotAuthorizedException', async () => {
      const { poolId, clientId } = await setup({}, { GenerateSecret: true });
      await confirmedUser(poolId, 'hank');
      await assert.rejects(signIn(clientId, 'hank', PASSWORD), {
        name: 'NotAuthorizedException',
        message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
      });
    });

    it('refuses a wrong SECRET_HASH with NotAuthorizedException', async () => {
      const { poolId, clientId } = await setup({}, { GenerateSecret: true });
      await confirmedUser(poolId, 'iris');
      await assert.rejects(signIn(clientId, 'iris', PASSWORD, { SECRET_HASH: secretHash('not-the-secret', 'iris', clientId) }), {
        name: 'NotAuthorizedException',
        message: `Unable to verify secret hash for client ${clientId}`,
      });
    });

    it('signs in with the right SECRET_HASH, and refreshes with it', async () => {
      const { poolId, clientId, secret } = await setup({}, { GenerateSecret: true });
      await confirmedUser(poolId, 'jack');
      const hash = secretHash(secret!, 'jack', clientId);
      const out = await signIn(clientId, 'jack', PASSWORD, { SECRET_HASH: hash });
      const again = await refresh(clientId, out.AuthenticationResult!.RefreshToken!, { SECRET_HASH: hash, USERNAME: 'jack' });
      assert.ok(again.AuthenticationResult?.AccessToken);
    });
  });

  describe('REFRESH_TOKEN_AUTH', () => {
    it('returns new access and ID tokens and no refresh token', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'kate');
      const first = (await signIn(clientId, 'kate', PASSWORD)).AuthenticationResult!;
      clock.advance(MINUTE);
      const out = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
      assert.ok(out.AccessToken && out.IdToken);
      assert.notEqual(out.AccessToken, first.AccessToken);
      assert.equal(out.RefreshToken, undefined);
      assert.equal(out.ExpiresIn, 3600);
      assert.equal(claims(out.AccessToken)['auth_time'], claims(first.AccessToken!)['auth_time'], 'auth_time stays that of the sign-in');
    });

    it("refuses another client's refresh token with NotAuthorizedException", async () => {
      const { poolId, clientId } = await setup();
      const other = await newClient(poolId);
      await confirmedUser(poolId, 'liam');
      const token = (await signIn(clientId, 'liam', PASSWORD)).AuthenticationResult!.RefreshToken!;
      await assert.rejects(refresh(other.clientId, token), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    });

    it('refuses a token it never issued with NotAuthorizedException "Invalid Refresh Token."', async () => {
      const { clientId } = await setup();
      await assert.rejects(refresh(clientId, 'not-a-refresh-token'), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    });

    it('refuses a token past its 30-day validity with NotAuthorizedException "Refresh Token has expired"', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'mia');
      const token = (await signIn(clientId, 'mia', PASSWORD)).AuthenticationResult!.RefreshToken!;
      clock.advance(30 * DAY - SECOND);
      assert.ok((await refresh(clientId, token)).AuthenticationResult, 'still valid a second before');
      clock.advance(SECOND);
      await assert.rejects(refresh(clientId, token), { name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    });
  });

  describe('lockout', () => {
    it('locks for 1 s after five wrong passwords, refuses even the right one meanwhile, and lets it in after', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'ned');
      for (let i = 0; i < 5; i++) await assert.rejects(signIn(clientId, 'ned', WRONG), incorrect);
      await assert.rejects(signIn(clientId, 'ned', PASSWORD), locked);
      clock.advance(SECOND);
      assert.ok((await signIn(clientId, 'ned', PASSWORD)).AuthenticationResult);
    });

    it('does not extend the lock for attempts made during it', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'olga');
      for (let i = 0; i < 5; i++) await assert.rejects(signIn(clientId, 'olga', WRONG), incorrect);
      clock.advance(SECOND - 1);
      await assert.rejects(signIn(clientId, 'olga', WRONG), locked);
      await assert.rejects(signIn(clientId, 'olga', WRONG), locked);
      clock.advance(1);
      assert.ok((await signIn(clientId, 'olga', PASSWORD)).AuthenticationResult);
    });

    it('doubles the lock to 2 s at the sixth wrong password', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'pia');
      for (let i = 0; i < 5; i++) await assert.rejects(signIn(clientId, 'pia', WRONG), incorrect);
      clock.advance(SECOND);
      await assert.rejects(signIn(clientId, 'pia', WRONG), incorrect);
      clock.advance(2 * SECOND - 1);
      await assert.rejects(signIn(clientId, 'pia', PASSWORD), locked);
      clock.advance(1);
      assert.ok((await signIn(clientId, 'pia', PASSWORD)).AuthenticationResult);
    });

    it('starts counting again after a successful sign-in', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'quin');
      for (let i = 0; i < 4; i++) await assert.rejects(signIn(clientId, 'quin', WRONG), incorrect);
      assert.ok((await signIn(clientId, 'quin', PASSWORD)).AuthenticationResult);
      await assert.rejects(signIn(clientId, 'quin', WRONG), incorrect);
      assert.ok((await signIn(clientId, 'quin', PASSWORD)).AuthenticationResult, 'one failure after a success does not lock');
    });
  });

  describe('hard stop', () => {
    it('requires a password reset after 100 consecutive failures, even spread over quiet periods', async () => {
      const { poolId, clientId } = await setup();
      const sub = await confirmedUser(poolId, 'hal');
      // Four failures, then 16 quiet minutes (the lockout count forgets), repeated: never locked, yet consecutive.
      for (let round = 0; round < 25; round++) {
        for (let i = 0; i < 4; i++) await assert.rejects(signIn(clientId, 'hal', WRONG), incorrect);
        clock.advance(16 * MINUTE);
      }
      assert.equal((await c.deps.store.users.bySub(sub))!.status, 'RESET_REQUIRED');
      await assert.rejects(signIn(clientId, 'hal', PASSWORD), { name: 'PasswordResetRequiredException' });
    });

    it('a successful sign-in ends the run of consecutive failures', async () => {
      const { poolId, clientId } = await setup();
      const sub = await confirmedUser(poolId, 'ida');
      for (let round = 0; round < 13; round++) {
        for (let i = 0; i < 4; i++) await assert.rejects(signIn(clientId, 'ida', WRONG), incorrect);
        clock.advance(16 * MINUTE);
      }
      assert.ok((await signIn(clientId, 'ida', PASSWORD)).AuthenticationResult);
      for (let round = 0; round < 13; round++) {
        for (let i = 0; i < 4; i++) await assert.rejects(signIn(clientId, 'ida', WRONG), incorrect);
        clock.advance(16 * MINUTE);
      }
      assert.equal((await c.deps.store.users.bySub(sub))!.status, 'CONFIRMED', '52 + 52 failures with a success between is no run of 100');
    });

    it('leaves an archived or compromised account in its state when the hard stop is reached', async () => {
      const { poolId } = await setup();
      for (const status of ['ARCHIVED', 'COMPROMISED'] as const) {
        const sub = await confirmedUser(poolId, `hs-${status.toLowerCase()}`);
        await c.deps.store.users.update(sub, { status }, clock.now());
        await c.deps.store.users.lockUntil(sub, clock.now() + MINUTE, true);
        assert.equal((await c.deps.store.users.bySub(sub))!.status, status);
      }
    });
  });

  describe('user state', () => {
    it('refuses a disabled user with NotAuthorizedException "User is disabled."', async () => {
      const { poolId, clientId } = await setup();
      const sub = await confirmedUser(poolId, 'rita');
      await c.deps.store.users.update(sub, { enabled: false }, clock.now());
      await assert.rejects(signIn(clientId, 'rita', PASSWORD), { name: 'NotAuthorizedException', message: 'User is disabled.' });
    });

    it('refuses an unconfirmed user with UserNotConfirmedException', async () => {
      const { clientId } = await setup();
      await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'sven', Password: PASSWORD }));
      await assert.rejects(signIn(clientId, 'sven', PASSWORD), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    });

    it('refuses a RESET_REQUIRED user with PasswordResetRequiredException', async () => {
      const { poolId, clientId } = await setup();
      const sub = await confirmedUser(poolId, 'tara');
      await c.deps.store.users.update(sub, { status: 'RESET_REQUIRED' }, clock.now());
      await assert.rejects(signIn(clientId, 'tara', PASSWORD), { name: 'PasswordResetRequiredException' });
    });
  });

  describe('NEW_PASSWORD_REQUIRED', () => {
    it('answers the first sign-in of a created user with the challenge, its Session and ChallengeParameters', async () => {
      const { poolId, clientId } = await setup({ UsernameAttributes: ['email'] });
      const sub = await createUser(poolId, 'uma@example.com', { email_verified: 'true', name: 'Uma' });
      const out = await signIn(clientId, 'uma@example.com', TEMP);
      assert.equal(out.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      assert.ok(out.Session && out.Session.length > 40);
      assert.equal(out.AuthenticationResult, undefined);
      const p = out.ChallengeParameters!;
      assert.equal(p['USER_ID_FOR_SRP'], sub);
      assert.deepEqual(JSON.parse(p['requiredAttributes']!), []);
      assert.deepEqual(JSON.parse(p['userAttributes']!), { email: 'uma@example.com', email_verified: 'true', name: 'Uma' });
    });

    it('completes with NEW_PASSWORD and a missing required attribute: tokens, and the user is CONFIRMED', async () => {
      const { poolId, clientId } = await setup({ Schema: [{ Name: 'name', Required: true }] });
      const sub = await createUser(poolId, 'vic', { name: 'placeholder' });
      // A user without a required attribute (as an import or an older schema leaves one): the challenge asks for it.
      await c.deps.store.users.deleteAttributes(sub, ['name']);
      const step = await signIn(clientId, 'vic', TEMP);
      assert.deepEqual(JSON.parse(step.ChallengeParameters!['requiredAttributes']!), ['userAttributes.name']);
      const out = await respond(clientId, step.Session!, { USERNAME: 'vic', NEW_PASSWORD, 'userAttributes.name': 'Victor' });
      assert.ok(out.AuthenticationResult?.AccessToken && out.AuthenticationResult.RefreshToken);
      assert.equal(claims(out.AuthenticationResult.IdToken!)['name'], 'Victor');
      const user = (await c.deps.store.users.bySub(sub))!;
      assert.equal(user.status, 'CONFIRMED');
      assert.equal(user.tempPasswordExpiresAt, null);
      assert.ok((await signIn(clientId, 'vic', NEW_PASSWORD)).AuthenticationResult);
      await assert.rejects(signIn(clientId, 'vic', TEMP), incorrect);
    });

    it('refuses an answer without a missing required attribute, and the Session still serves a corrected answer', async () => {
      const { poolId, clientId } = await setup({ Schema: [{ Name: 'name', Required: true }] });
      const sub = await createUser(poolId, 'wade', { name: 'placeholder' });
      await c.deps.store.users.deleteAttributes(sub, ['name']);
      const step = await signIn(clientId, 'wade', TEMP);
      await assert.rejects(respond(clientId, step.Session!, { USERNAME: 'wade', NEW_PASSWORD }), {
        name: 'InvalidParameterException',
        message: 'Invalid attributes given, name is missing',
      });
      assert.equal((await c.deps.store.users.bySub(sub))!.status, 'FORCE_CHANGE_PASSWORD');
      assert.ok((await respond(clientId, step.Session!, { USERNAME: 'wade', NEW_PASSWORD, 'userAttributes.name': 'Wade' })).AuthenticationResult);
    });

    it("makes a new email given in the answer unverified, and refuses another user's verified alias", async () => {
      const { poolId, clientId } = await setup({ AliasAttributes: ['email'] });
      await confirmedUser(poolId, 'ceo', { email: 'ceo@victim.test', email_verified: 'true' });
      const sub = await createUser(poolId, 'mallory', { email: 'mallory@evil.test', email_verified: 'true' });
      const taken = await signIn(clientId, 'mallory', TEMP);
      await assert.rejects(respond(clientId, taken.Session!, { USERNAME: 'mallory', NEW_PASSWORD, 'userAttributes.email': 'ceo@victim.test' }), {
        name: 'AliasExistsException',
      });
      const out = await respond(clientId, taken.Session!, { USERNAME: 'mallory', NEW_PASSWORD, 'userAttributes.email': 'new@evil.test' });
      assert.equal(claims(out.AuthenticationResult!.IdToken!)['email_verified'], false, 'the changed email is not verified');
      const user = (await c.deps.store.users.bySub(sub))!;
      assert.equal(user.attributes['email'], 'new@evil.test');
      assert.equal(user.attributes['email_verified'], 'false');
      await assert.rejects(signIn(clientId, 'new@evil.test', NEW_PASSWORD), { name: 'UserNotFoundException' }, 'an unverified alias does not sign in');
    });

    it('refuses to overwrite a required attribute that already has a value with NotAuthorizedException', async () => {
      const { poolId, clientId } = await setup({ Schema: [{ Name: 'email', Required: true }] });
      await createUser(poolId, 'xia', { email: 'xia@example.com' });
      const step = await signIn(clientId, 'xia', TEMP);
      await assert.rejects(respond(clientId, step.Session!, { USERNAME: 'xia', NEW_PASSWORD, 'userAttributes.email': 'other@example.com' }), {
        name: 'NotAuthorizedException',
        message: 'Cannot modify an already provided email',
      });
    });

    it('lets an immutable attribute be filled in if the user lacks it, and refuses changing one already set', async () => {
      const { poolId, clientId } = await setup({ Schema: [{ Name: 'nickname', Mutable: false }] });
      await createUser(poolId, 'yuki', { nickname: 'yk' });
      const held = await signIn(clientId, 'yuki', TEMP);
      await assert.rejects(respond(clientId, held.Session!, { USERNAME: 'yuki', NEW_PASSWORD, 'userAttributes.nickname': 'other' }), {
        name: 'InvalidParameterException',
        message: 'Cannot modify the non-mutable attribute nickname',
      });
      const sub = await createUser(poolId, 'yves');
      const step = await signIn(clientId, 'yves', TEMP);
      assert.ok((await respond(clientId, step.Session!, { USERNAME: 'yves', NEW_PASSWORD, 'userAttributes.nickname': 'yv' })).AuthenticationResult);
      assert.equal((await c.deps.store.users.bySub(sub))!.attributes['nickname'], 'yv');
    });

    it('refuses a new password that breaks the policy with InvalidPasswordException', async () => {
      const { poolId, clientId } = await setup();
      await createUser(poolId, 'yan');
      const step = await signIn(clientId, 'yan', TEMP);
      await assert.rejects(respond(clientId, step.Session!, { USERNAME: 'yan', NEW_PASSWORD: 'short' }), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with policy: Password not long enough',
      });
    });

    it('refuses a replayed Session with NotAuthorizedException "Invalid session for the user."', async () => {
      const { poolId, clientId } = await setup();
      await createUser(poolId, 'zed');
      const step = await signIn(clientId, 'zed', TEMP);
      await respond(clientId, step.Session!, { USERNAME: 'zed', NEW_PASSWORD });
      await assert.rejects(respond(clientId, step.Session!, { USERNAME: 'zed', NEW_PASSWORD: 'An0ther!Passw0rd' }), invalidSession);
    });

    it('refuses a Session for another user, another client, or one never issued', async () => {
      const { poolId, clientId } = await setup();
      const other = await newClient(poolId);
      await createUser(poolId, 'amy');
      await createUser(poolId, 'ben');
      const step = await signIn(clientId, 'amy', TEMP);
      await assert.rejects(respond(clientId, step.Session!, { USERNAME: 'ben', NEW_PASSWORD }), invalidSession);
      await assert.rejects(respond(other.clientId, step.Session!, { USERNAME: 'amy', NEW_PASSWORD }), invalidSession);
      await assert.rejects(respond(clientId, 'x'.repeat(88), { USERNAME: 'amy', NEW_PASSWORD }), invalidSession);
    });

    it('refuses a Session older than 3 minutes', async () => {
      const { poolId, clientId } = await setup();
      await createUser(poolId, 'cleo');
      const step = await signIn(clientId, 'cleo', TEMP);
      clock.advance(3 * MINUTE + SECOND);
      await assert.rejects(respond(clientId, step.Session!, { USERNAME: 'cleo', NEW_PASSWORD }), {
        name: 'NotAuthorizedException',
        message: 'Invalid session for the user, session is expired.',
      });
    });

    it('completes through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
      const { poolId, clientId } = await setup();
      await createUser(poolId, 'dirk');
      const step = await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'dirk', PASSWORD: TEMP },
        }),
      );
      assert.equal(step.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const out = await c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: step.Session!,
          ChallengeResponses: { USERNAME: 'dirk', NEW_PASSWORD },
        }),
      );
      assert.ok(out.AuthenticationResult?.IdToken);
      assert.equal((await c.deps.store.users.byUsername(poolId, 'dirk'))!.status, 'CONFIRMED');
    });

    it('refuses a temporary password past TemporaryPasswordValidityDays with NotAuthorizedException', async () => {
      const { poolId, clientId } = await setup({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } } });
      await createUser(poolId, 'egon');
      clock.advance(DAY - SECOND);
      assert.equal((await signIn(clientId, 'egon', TEMP)).ChallengeName, 'NEW_PASSWORD_REQUIRED', 'still valid a second before');
      clock.advance(SECOND);
      await assert.rejects(signIn(clientId, 'egon', TEMP), {
        name: 'NotAuthorizedException',
        message: 'Temporary password has expired and must be reset by an administrator.',
      });
    });
  });
});
