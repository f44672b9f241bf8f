import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AuthenticationResultType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import type { UserPatch } from '../src/domain/user.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w-Passw0rd!';
const HOUR = 3600_000;
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

const clock = new FakeClock(Date.now());
let c: Running;
let seq = 0;
const address = (tag: string) => `${tag}-${++seq}@example.com`;

interface Pool {
  poolId: string;
  clientId: string;
  /** A second client of the same pool with PreventUserExistenceErrors ENABLED. */
  hidingClientId: string;
}

async function newClient(poolId: string, extra: Partial<CreateUserPoolClientCommandInput> = {}) {
  const out = await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: FLOWS, ...extra }));
  return { clientId: out.UserPoolClient!.ClientId!, secret: out.UserPoolClient!.ClientSecret };
}

/** A pool where users sign in with their email, which Cognito verifies. */
async function newPool(extra: Partial<CreateUserPoolCommandInput> = {}): Promise<Pool> {
  const out = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'p', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], ...extra }));
  const poolId = out.UserPool!.Id!;
  const { clientId } = await newClient(poolId);
  const { clientId: hidingClientId } = await newClient(poolId, { PreventUserExistenceErrors: 'ENABLED' });
  return { poolId, clientId, hidingClientId };
}

/** Signs up and returns the user's sub and the code from the inbox. */
async function signUp(clientId: string, email: string, extra: { Username?: string } = {}) {
  const out = await c.anon.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: extra.Username ?? email,
      Password: PASSWORD,
      UserAttributes: extra.Username ? [{ Name: 'email', Value: email }] : [],
    }),
  );
  return { sub: out.UserSub!, code: await c.inbox.nextCode(email) };
}

/** A confirmed user (through ConfirmSignUp with the mailed code), signed in. */
async function registered(pool: Pool, tag: string) {
  const email = address(tag);
  const { sub, code } = await signUp(pool.clientId, email);
  await c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: code }));
  return { email, sub, tokens: await signIn(pool.clientId, email) };
}

async function signIn(clientId: string, username: string, password = PASSWORD, secretHash?: string): Promise<AuthenticationResultType> {
  const out = await c.anon.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, ...(secretHash ? { SECRET_HASH: secretHash } : {}) },
    }),
  );
  return out.AuthenticationResult!;
}

const refresh = (clientId: string, token: string) =>
  c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));

const advance = (ms: number): void => clock.advance(ms);

const setUser = (sub: string, patch: UserPatch) => c.deps.store.users.update(sub, patch, clock.now());
const stored = async (sub: string) => (await c.deps.store.users.bySub(sub))!;
const mailsTo = async (to: string) => (await c.deps.mailer.recent({ to, limit: 50 })).length;

describe('self-service operations', () => {
  let pool: Pool;
  before(async () => {
    c = await startCognate({ clock });
    pool = await newPool();
  });
  after(() => c.stop());

  describe('ConfirmSignUp', () => {
    it('confirms the user with the mailed code and marks the email verified', async () => {
      const email = address('confirm');
      const { sub, code } = await signUp(pool.clientId, email);
      await c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: code }));
      const user = await stored(sub);
      assert.equal(user.status, 'CONFIRMED');
      assert.equal(user.attributes['email_verified'], 'true');
      assert.ok((await signIn(pool.clientId, email)).AccessToken);
    });

    it('rejects a wrong code with CodeMismatchException and leaves the user unconfirmed', async () => {
      const email = address('wrong');
      const { sub, code } = await signUp(pool.clientId, email);
      const wrong = code === '000000' ? '111111' : '000000';
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: wrong })), {
        name: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
      assert.equal((await stored(sub)).status, 'UNCONFIRMED');
    });

    it('rejects a code older than 24 hours with ExpiredCodeException', async () => {
      const email = address('late');
      const { code } = await signUp(pool.clientId, email);
      advance(24 * HOUR + 1000);
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: code })), {
        name: 'ExpiredCodeException',
        message: 'Invalid code provided, please request a code again.',
      });
    });

    it('refuses an already confirmed user with NotAuthorizedException', async () => {
      const { email } = await registered(pool, 'twice');
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: '123456' })), {
        name: 'NotAuthorizedException',
        message: 'User cannot be confirmed. Current status is CONFIRMED',
      });
    });

    it('answers an unknown user with UserNotFoundException, or a wrong-code answer when existence errors are prevented', async () => {
      const input = { Username: address('nobody'), ConfirmationCode: '123456' };
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, ...input })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.hidingClientId, ...input })), {
        name: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
    });

    it('requires the SECRET_HASH of a client with a secret', async () => {
      const secretClient = await newClient(pool.poolId, { GenerateSecret: true });
      const email = address('secret');
      const { code } = await signUp(pool.clientId, email);
      const input = { ClientId: secretClient.clientId, Username: email, ConfirmationCode: code };
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand(input)), {
        name: 'NotAuthorizedException',
        message: `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
      });
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ...input, SecretHash: 'd3Jvbmc=' })), {
        name: 'NotAuthorizedException',
        message: `Unable to verify secret hash for client ${secretClient.clientId}`,
      });
      const hash = createHmac('sha256', secretClient.secret!)
        .update(email + secretClient.clientId)
        .digest('base64');
      await c.anon.send(new ConfirmSignUpCommand({ ...input, SecretHash: hash }));
    });

    it('allows 15 attempts an hour, then LimitExceededException even for the right code', async () => {
      const email = address('capped');
      const { code: first } = await signUp(pool.clientId, email);
      const confirm = (code: string) => c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: code }));
      let code = first;
      // Four wrong guesses per code stay under the per-code limit; a resend gives a fresh code.
      for (const guesses of [4, 4, 4, 3]) {
        for (let i = 0; i < guesses; i++) await assert.rejects(confirm(code === '000000' ? '111111' : '000000'), { name: 'CodeMismatchException' });
        if (guesses === 4) {
          await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: email }));
          code = await c.inbox.nextCode(email);
        }
      }
      await assert.rejects(confirm(code), { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
      advance(HOUR + 1000);
      await confirm(code);
    });

    it('refuses an email another user verified as an alias with AliasExistsException, unless ForceAliasCreation moves it', async () => {
      const out = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'alias', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
      const { clientId } = await newClient(out.UserPool!.Id!);
      const email = address('alias');
      const [firstName, secondName] = [`first${seq}`, `second${seq}`];
      const first = await signUp(clientId, email, { Username: firstName });
      await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: firstName, ConfirmationCode: first.code }));
      const second = await signUp(clientId, email, { Username: secondName });
      const input = { ClientId: clientId, Username: secondName, ConfirmationCode: second.code };
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand(input)), {
        name: 'AliasExistsException',
        message: 'An account with the given email already exists.',
      });
      await c.anon.send(new ConfirmSignUpCommand({ ...input, ForceAliasCreation: true }));
      assert.equal((await stored(second.sub)).attributes['email_verified'], 'true');
      assert.equal((await stored(first.sub)).attributes['email_verified'], 'false');
    });
  });

  describe('ResendConfirmationCode', () => {
    it('sends a new code, which confirms, while the previous code is refused as expired', async () => {
      const email = address('resend');
      const { code: old } = await signUp(pool.clientId, email);
      const out = await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: email }));
      assert.deepEqual(out.CodeDeliveryDetails, { Destination: 'r***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const fresh = await c.inbox.nextCode(email);
      if (old !== fresh) {
        await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: old })), {
          name: 'ExpiredCodeException',
        });
      }
      await c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: fresh }));
    });

    it('refuses a confirmed user with InvalidParameterException', async () => {
      const { email } = await registered(pool, 'confirmed');
      await assert.rejects(c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: email })), {
        name: 'InvalidParameterException',
        message: 'User is already confirmed.',
      });
    });

    it('allows five resends an hour, then LimitExceededException', async () => {
      const email = address('resends');
      await signUp(pool.clientId, email);
      for (let i = 0; i < 5; i++) await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: email }));
      await assert.rejects(c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: email })), {
        name: 'LimitExceededException',
        message: 'Attempt limit exceeded, please try after some time.',
      });
    });

    it('answers an unknown user with UserNotFoundException, or a simulated delivery and no mail when existence errors are prevented', async () => {
      const email = address('ghost');
      await assert.rejects(c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: email })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      const out = await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.hidingClientId, Username: email }));
      assert.deepEqual(out.CodeDeliveryDetails, { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      assert.equal(await mailsTo(email), 0);
    });

    it('simulates a stable destination for an unknown plain username', async () => {
      const out = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'plain', AutoVerifiedAttributes: ['email'] }));
      const { clientId } = await newClient(out.UserPool!.Id!, { PreventUserExistenceErrors: 'ENABLED' });
      const ask = () => c.anon.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'nobody-here' }));
      const [a, b] = [await ask(), await ask()];
      assert.match(a.CodeDeliveryDetails!.Destination!, /^[a-z]\*\*\*@[a-z]\*\*\*$/);
      assert.deepEqual(a.CodeDeliveryDetails, b.CodeDeliveryDetails);
    });

    it('refuses a disabled user with NotAuthorizedException', async () => {
      const email = address('off');
      const { sub } = await signUp(pool.clientId, email);
      await setUser(sub, { enabled: false });
      await assert.rejects(c.anon.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: email })), {
        name: 'NotAuthorizedException',
        message: 'User is disabled.',
      });
    });
  });

  describe('ForgotPassword and ConfirmForgotPassword', () => {
    const forgot = (clientId: string, username: string) => c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    const reset = (clientId: string, username: string, code: string, password = NEW_PASSWORD) =>
      c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: password }));
    const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

    it('mails a code to the verified email; the new password then signs in and the old one does not', async () => {
      const { email } = await registered(pool, 'forgot');
      const out = await forgot(pool.clientId, email);
      assert.deepEqual(out.CodeDeliveryDetails, { Destination: 'f***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      await reset(pool.clientId, email, await c.inbox.nextCode(email));
      assert.ok((await signIn(pool.clientId, email, NEW_PASSWORD)).AccessToken);
      await assert.rejects(signIn(pool.clientId, email), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    it('refuses a user without a verified email or phone with InvalidParameterException, or simulates when existence errors are prevented', async () => {
      const email = address('unverified');
      await signUp(pool.clientId, email);
      await assert.rejects(forgot(pool.clientId, email), {
        name: 'InvalidParameterException',
        message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
      });
      const out = await forgot(pool.hidingClientId, email);
      assert.equal(out.CodeDeliveryDetails?.Destination, 'u***@e***');
      assert.equal(await mailsTo(email), 1, 'only the sign-up mail');
    });

    it('refuses a disabled user with NotAuthorizedException, or simulates when existence errors are prevented', async () => {
      const { email, sub } = await registered(pool, 'disabled');
      await setUser(sub, { enabled: false });
      await assert.rejects(forgot(pool.clientId, email), { name: 'NotAuthorizedException', message: 'User is disabled.' });
      assert.equal((await forgot(pool.hidingClientId, email)).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      assert.equal(await mailsTo(email), 1, 'only the sign-up mail');
    });

    it('answers an unknown user with UserNotFoundException, or a simulated delivery when existence errors are prevented', async () => {
      const email = address('unknown');
      await assert.rejects(forgot(pool.clientId, email), { name: 'UserNotFoundException', message: 'User does not exist.' });
      assert.deepEqual((await forgot(pool.hidingClientId, email)).CodeDeliveryDetails, {
        Destination: 'u***@e***',
        DeliveryMedium: 'EMAIL',
        AttributeName: 'email',
      });
      assert.equal(await mailsTo(email), 0);
    });

    it('refuses an invited user who never signed in with NotAuthorizedException', async () => {
      const { email, sub } = await registered(pool, 'invited');
      await setUser(sub, { status: 'FORCE_CHANGE_PASSWORD' });
      await assert.rejects(forgot(pool.clientId, email), { name: 'NotAuthorizedException', message: 'User password cannot be reset in the current state.' });
    });

    it("follows the pool's AccountRecoverySetting priorities", async () => {
      const byPhone = await newPool({
        AccountRecoverySetting: {
          RecoveryMechanisms: [
            { Name: 'verified_phone_number', Priority: 1 },
            { Name: 'verified_email', Priority: 2 },
          ],
        },
      });
      const { email, sub } = await registered(byPhone, 'recover');
      assert.equal((await forgot(byPhone.clientId, email)).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL', 'no phone: falls back to email');
      await c.inbox.nextCode(email);
      await c.deps.store.users.setAttributes(byPhone.poolId, sub, { phone_number: '+15555550123', phone_number_verified: 'true' });
      assert.deepEqual((await forgot(byPhone.clientId, email)).CodeDeliveryDetails, {
        Destination: '+*******0123',
        DeliveryMedium: 'SMS',
        AttributeName: 'phone_number',
      });

      const adminOnly = await newPool({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
      const other = await registered(adminOnly, 'adminonly');
      await assert.rejects(forgot(adminOnly.clientId, other.email), { name: 'InvalidParameterException' });
    });

    it('allows five requests an hour, then LimitExceededException', async () => {
      const { email } = await registered(pool, 'often');
      for (let i = 0; i < 5; i++) await forgot(pool.clientId, email);
      await assert.rejects(forgot(pool.clientId, email), { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    });

    it('rejects a wrong code with CodeMismatchException and a used code with ExpiredCodeException', async () => {
      const { email } = await registered(pool, 'codes');
      await forgot(pool.clientId, email);
      const code = await c.inbox.nextCode(email);
      await assert.rejects(reset(pool.clientId, email, wrongOf(code)), {
        name: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
      await reset(pool.clientId, email, code);
      await assert.rejects(reset(pool.clientId, email, code, 'An0ther-Passw0rd!'), {
        name: 'ExpiredCodeException',
        message: 'Invalid code provided, please request a code again.',
      });
      assert.ok((await signIn(pool.clientId, email, NEW_PASSWORD)).AccessToken);
    });

    it('rejects a code older than an hour, or none requested, with ExpiredCodeException', async () => {
      const { email } = await registered(pool, 'stale');
      await assert.rejects(reset(pool.clientId, email, '123456'), { name: 'ExpiredCodeException' });
      await forgot(pool.clientId, email);
      const code = await c.inbox.nextCode(email);
      advance(HOUR + 1000);
      await assert.rejects(reset(pool.clientId, email, code), { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    });

    it('rejects a password that breaks the policy with InvalidPasswordException, keeping the code usable', async () => {
      const { email } = await registered(pool, 'weak');
      await forgot(pool.clientId, email);
      const code = await c.inbox.nextCode(email);
      await assert.rejects(reset(pool.clientId, email, code, 'Passw0rdxx'), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with policy: Password must have symbol characters',
      });
      await reset(pool.clientId, email, code);
    });

    it('allows 20 attempts an hour, then LimitExceededException even for the right code', async () => {
      const { email } = await registered(pool, 'hammer');
      await forgot(pool.clientId, email);
      const code = await c.inbox.nextCode(email);
      for (let i = 0; i < 20; i++) await assert.rejects(reset(pool.clientId, email, code, 'weak-password'), { name: 'InvalidPasswordException' });
      await assert.rejects(reset(pool.clientId, email, code), {
        name: 'LimitExceededException',
        message: 'Attempt limit exceeded, please try after some time.',
      });
    });

    it('answers an unknown or disabled user with UserNotFoundException / NotAuthorizedException, or CodeMismatchException when existence errors are prevented', async () => {
      const nobody = address('none');
      await assert.rejects(reset(pool.clientId, nobody, '123456'), { name: 'UserNotFoundException', message: 'User does not exist.' });
      await assert.rejects(reset(pool.hidingClientId, nobody, '123456'), { name: 'CodeMismatchException' });
      const { email, sub } = await registered(pool, 'frozen');
      await setUser(sub, { enabled: false });
      await assert.rejects(reset(pool.clientId, email, '123456'), { name: 'NotAuthorizedException', message: 'User is disabled.' });
      await assert.rejects(reset(pool.hidingClientId, email, '123456'), { name: 'CodeMismatchException' });
    });

    it('confirms a RESET_REQUIRED user and clears the lockout', async () => {
      const { email, sub } = await registered(pool, 'locked');
      await setUser(sub, { status: 'RESET_REQUIRED', failedAttempts: 9, lastFailedAt: clock.now(), lockedUntil: clock.now() + HOUR });
      await forgot(pool.clientId, email);
      await reset(pool.clientId, email, await c.inbox.nextCode(email));
      const user = await stored(sub);
      assert.equal(user.status, 'CONFIRMED');
      assert.equal(user.failedAttempts, 0);
      assert.equal(user.lockedUntil, null);
      assert.ok((await signIn(pool.clientId, email, NEW_PASSWORD)).AccessToken);
    });

    it('confirms an UNCONFIRMED user whose email was verified', async () => {
      const email = address('early');
      const { sub } = await signUp(pool.clientId, email);
      await c.deps.store.users.setAttributes(pool.poolId, sub, { email_verified: 'true' });
      await forgot(pool.clientId, email);
      await reset(pool.clientId, email, await c.inbox.nextCode(email));
      assert.equal((await stored(sub)).status, 'CONFIRMED');
    });
  });

  describe('ChangePassword', () => {
    const change = (token: string, previous: string | undefined, proposed: string) =>
      c.anon.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: previous, ProposedPassword: proposed }));

    it('replaces the password: the new one signs in, the old one does not', async () => {
      const { email, tokens } = await registered(pool, 'change');
      await change(tokens.AccessToken!, PASSWORD, NEW_PASSWORD);
      assert.ok((await signIn(pool.clientId, email, NEW_PASSWORD)).AccessToken);
      await assert.rejects(signIn(pool.clientId, email), { name: 'NotAuthorizedException' });
    });

    it('refuses a wrong or missing previous password with NotAuthorizedException', async () => {
      const { tokens } = await registered(pool, 'previous');
      await assert.rejects(change(tokens.AccessToken!, 'Wr0ng-password!', NEW_PASSWORD), {
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
      await assert.rejects(change(tokens.AccessToken!, undefined, NEW_PASSWORD), {
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
    });

    it('counts wrong previous passwords toward the sign-in lockout', async () => {
      const { email, tokens } = await registered(pool, 'guess');
      for (let i = 0; i < 5; i++) await assert.rejects(change(tokens.AccessToken!, `Wr0ng-password-${i}!`, NEW_PASSWORD), { name: 'NotAuthorizedException' });
      await assert.rejects(signIn(pool.clientId, email), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    });

    it('rejects a proposed password that breaks the policy with InvalidPasswordException', async () => {
      const { tokens } = await registered(pool, 'policy');
      await assert.rejects(change(tokens.AccessToken!, PASSWORD, 'Sh0rt!'), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with policy: Password not long enough',
      });
      await assert.rejects(change(tokens.AccessToken!, PASSWORD, 'nouppercase1!'), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with policy: Password must have uppercase characters',
      });
    });

    it('allows five changes an hour, then LimitExceededException', async () => {
      const { tokens } = await registered(pool, 'changes');
      for (let i = 0; i < 5; i++) await assert.rejects(change(tokens.AccessToken!, PASSWORD, 'nouppercase1!'), { name: 'InvalidPasswordException' });
      await assert.rejects(change(tokens.AccessToken!, PASSWORD, NEW_PASSWORD), {
        name: 'LimitExceededException',
        message: 'Attempt limit exceeded, please try after some time.',
      });
    });

    it('refuses a token that is not an access token with NotAuthorizedException', async () => {
      await assert.rejects(change('not.a.token', PASSWORD, NEW_PASSWORD), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    });
  });

  describe('GetUser', () => {
    it('returns the username and attributes, sub first, without MFA members', async () => {
      const { email, sub, tokens } = await registered(pool, 'me');
      const out = await c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
      assert.equal(out.Username, sub);
      assert.deepEqual(out.UserAttributes, [
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ]);
      assert.equal(out.MFAOptions, undefined);
      assert.equal(out.UserMFASettingList, undefined);
      assert.equal(out.PreferredMfaSetting, undefined);
    });

    it("shows only the attributes in the client's ReadAttributes, and sub", async () => {
      const { clientId } = await newClient(pool.poolId, { ReadAttributes: ['email'] });
      const { email, sub } = await registered(pool, 'narrow');
      const tokens = await signIn(clientId, email);
      const out = await c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
      assert.deepEqual(out.UserAttributes, [
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: email },
      ]);
    });
  });

  describe('UpdateUserAttributes, GetUserAttributeVerificationCode and VerifyUserAttribute', () => {
    const update = (token: string, attrs: Record<string, string>) =>
      c.anon.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })) }));
    const verify = (token: string, code: string, attr = 'email') =>
      c.anon.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: attr, Code: code }));
    const askCode = (token: string, attr = 'email') => c.anon.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: attr }));
    const attrsOf = async (token: string) =>
      Object.fromEntries(((await c.anon.send(new GetUserCommand({ AccessToken: token }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));

    it('updates an ordinary attribute without sending a code', async () => {
      const { tokens } = await registered(pool, 'named');
      const out = await update(tokens.AccessToken!, { name: 'Ada Lovelace' });
      assert.equal(out.CodeDeliveryDetailsList, undefined);
      assert.equal((await attrsOf(tokens.AccessToken!))['name'], 'Ada Lovelace');
    });

    it('switches to a new email at once, unverified, and verifies it with the mailed code', async () => {
      const { email, tokens } = await registered(pool, 'move');
      const next = address('moved');
      const out = await update(tokens.AccessToken!, { email: next });
      assert.deepEqual(out.CodeDeliveryDetailsList, [{ Destination: 'm***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
      assert.deepEqual([(await attrsOf(tokens.AccessToken!))['email'], (await attrsOf(tokens.AccessToken!))['email_verified']], [next, 'false']);
      await verify(tokens.AccessToken!, await c.inbox.nextCode(next));
      assert.equal((await attrsOf(tokens.AccessToken!))['email_verified'], 'true');
      assert.ok((await signIn(pool.clientId, next)).AccessToken);
      await assert.rejects(signIn(pool.clientId, email), { name: 'UserNotFoundException' });
    });

    it('keeps the verified email in force while a change waits for verification, then swaps it in', async () => {
      const seed = await newPool({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
      const { email, tokens } = await registered(seed, 'keep');
      const next = address('pending');
      const out = await update(tokens.AccessToken!, { email: next });
      assert.equal(out.CodeDeliveryDetailsList?.[0]?.Destination, 'p***@e***');
      const before = await attrsOf(tokens.AccessToken!);
      assert.deepEqual([before['email'], before['email_verified']], [email, 'true']);
      assert.ok(!Object.keys(before).some((n) => n.includes('pending')));
      assert.ok((await signIn(seed.clientId, email)).AccessToken, 'the old email still signs in');

      await verify(tokens.AccessToken!, await c.inbox.nextCode(next));
      const afterwards = await attrsOf(tokens.AccessToken!);
      assert.deepEqual([afterwards['email'], afterwards['email_verified']], [next, 'true']);
      assert.ok((await signIn(seed.clientId, next)).AccessToken);
    });

    it('refuses an email another user signs in with with AliasExistsException', async () => {
      const { email: taken } = await registered(pool, 'owner');
      const { tokens } = await registered(pool, 'thief');
      await assert.rejects(update(tokens.AccessToken!, { email: taken }), {
        name: 'AliasExistsException',
        message: 'An account with the given email already exists.',
      });
    });

    it("refuses attributes outside the client's WriteAttributes, the *_verified flags and unknown attributes", async () => {
      const { clientId } = await newClient(pool.poolId, { WriteAttributes: ['name'] });
      const { email } = await registered(pool, 'limited');
      const token = (await signIn(clientId, email)).AccessToken!;
      await assert.rejects(update(token, { family_name: 'X' }), {
        name: 'NotAuthorizedException',
        message: 'A client attempted to write unauthorized attribute',
      });
      const { tokens } = await registered(pool, 'flags');
      await assert.rejects(update(tokens.AccessToken!, { email_verified: 'true' }), { name: 'NotAuthorizedException' });
      await assert.rejects(update(tokens.AccessToken!, { 'custom:nope': 'x' }), { name: 'InvalidParameterException' });
    });

    it('sends a verification code on request, which verifies the email', async () => {
      const email = address('ask');
      const { sub } = await signUp(pool.clientId, email);
      await setUser(sub, { status: 'CONFIRMED' });
      const token = (await signIn(pool.clientId, email)).AccessToken!;
      const out = await askCode(token);
      assert.deepEqual(out.CodeDeliveryDetails, { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      await verify(token, await c.inbox.nextCode(email));
      assert.equal((await stored(sub)).attributes['email_verified'], 'true');
    });

    it('refuses to verify an attribute that is not an email or phone number with InvalidParameterException', async () => {
      const { tokens } = await registered(pool, 'odd');
      await assert.rejects(askCode(tokens.AccessToken!, 'name'), { name: 'InvalidParameterException' });
      await assert.rejects(verify(tokens.AccessToken!, '123456', 'name'), { name: 'InvalidParameterException' });
      await assert.rejects(askCode(tokens.AccessToken!, 'phone_number'), { name: 'InvalidParameterException' });
    });

    it('allows five code requests an hour, then LimitExceededException', async () => {
      const { tokens } = await registered(pool, 'asks');
      for (let i = 0; i < 5; i++) await askCode(tokens.AccessToken!);
      await assert.rejects(askCode(tokens.AccessToken!), { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    });

    it('rejects a wrong code with CodeMismatchException and a used one with ExpiredCodeException', async () => {
      const { email, tokens } = await registered(pool, 'verify');
      await askCode(tokens.AccessToken!);
      const code = await c.inbox.nextCode(email);
      await assert.rejects(verify(tokens.AccessToken!, code === '000000' ? '111111' : '000000'), {
        name: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
      await verify(tokens.AccessToken!, code);
      await assert.rejects(verify(tokens.AccessToken!, code), { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    });

    it('rejects a code older than 24 hours with ExpiredCodeException', async () => {
      const { email, tokens } = await registered(pool, 'old');
      await askCode(tokens.AccessToken!);
      const code = await c.inbox.nextCode(email);
      advance(24 * HOUR + 1000);
      const token = (await signIn(pool.clientId, email)).AccessToken!;
      await assert.rejects(verify(token, code), { name: 'ExpiredCodeException' });
    });

    it('allows 15 verification attempts an hour, then LimitExceededException even for the right code', async () => {
      const { email, tokens } = await registered(pool, 'brute');
      const token = tokens.AccessToken!;
      await askCode(token);
      let code = await c.inbox.nextCode(email);
      for (const guesses of [4, 4, 4, 3]) {
        for (let i = 0; i < guesses; i++) await assert.rejects(verify(token, code === '000000' ? '111111' : '000000'), { name: 'CodeMismatchException' });
        if (guesses === 4) {
          await askCode(token);
          code = await c.inbox.nextCode(email);
        }
      }
      await assert.rejects(verify(token, code), { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    });
  });

  describe('DeleteUser', () => {
    it('deletes the user; the old token and the sign-in then fail', async () => {
      const { email, sub, tokens } = await registered(pool, 'leaving');
      await c.anon.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken! }));
      assert.equal(await c.deps.store.users.bySub(sub), null);
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), { name: 'NotAuthorizedException' });
      await assert.rejects(refresh(pool.clientId, tokens.RefreshToken!), { name: 'NotAuthorizedException' });
      await assert.rejects(signIn(pool.clientId, email), { name: 'UserNotFoundException' });
    });
  });

  describe('GlobalSignOut', () => {
    it('revokes every session of the user: access and refresh tokens are refused, a new sign-in works', async () => {
      const { email, tokens } = await registered(pool, 'everywhere');
      const second = await signIn(pool.clientId, email);
      await c.anon.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
      for (const t of [tokens, second]) {
        await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: t.AccessToken! })), {
          name: 'NotAuthorizedException',
          message: 'Access Token has been revoked',
        });
        await assert.rejects(refresh(pool.clientId, t.RefreshToken!), { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
      }
      const fresh = await signIn(pool.clientId, email);
      assert.ok((await c.anon.send(new GetUserCommand({ AccessToken: fresh.AccessToken! }))).Username);
    });
  });

  describe('RevokeToken', () => {
    const revoke = (clientId: string, token: string, secret?: string) =>
      c.anon.send(new RevokeTokenCommand({ ClientId: clientId, Token: token, ClientSecret: secret }));

    it("revokes one token family: its refresh and access tokens fail, the user's other session keeps working", async () => {
      const { email, tokens: first } = await registered(pool, 'revoke');
      const second = await signIn(pool.clientId, email);
      const minted = (await refresh(pool.clientId, first.RefreshToken!)).AuthenticationResult!;
      await revoke(pool.clientId, first.RefreshToken!);
      for (const access of [first.AccessToken!, minted.AccessToken!]) {
        await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: access })), {
          name: 'NotAuthorizedException',
          message: 'Access Token has been revoked',
        });
      }
      await assert.rejects(refresh(pool.clientId, first.RefreshToken!), { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
      assert.ok((await c.anon.send(new GetUserCommand({ AccessToken: second.AccessToken! }))).Username);
      assert.ok((await refresh(pool.clientId, second.RefreshToken!)).AuthenticationResult?.AccessToken);
    });

    it('answers success for an unknown or already revoked token', async () => {
      await revoke(pool.clientId, 'bm90LWEtcmVhbC10b2tlbg');
      const { tokens } = await registered(pool, 'again');
      await revoke(pool.clientId, tokens.RefreshToken!);
      await revoke(pool.clientId, tokens.RefreshToken!);
    });

    it('requires the right ClientSecret of a client with a secret (UnauthorizedException)', async () => {
      const { clientId, secret } = await newClient(pool.poolId, { GenerateSecret: true });
      const { email } = await registered(pool, 'confidential');
      const hash = createHmac('sha256', secret!)
        .update(email + clientId)
        .digest('base64');
      const tokens = await signIn(clientId, email, PASSWORD, hash);
      await assert.rejects(revoke(clientId, tokens.RefreshToken!), { name: 'UnauthorizedException' });
      await assert.rejects(revoke(clientId, tokens.RefreshToken!, 'x'.repeat(51)), { name: 'UnauthorizedException' });
      await revoke(clientId, tokens.RefreshToken!, secret);
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), {
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
    });

    it("refuses another client's token with UnauthorizedException and leaves it working", async () => {
      const other = await newClient(pool.poolId);
      const { tokens } = await registered(pool, 'foreign');
      await assert.rejects(revoke(other.clientId, tokens.RefreshToken!), { name: 'UnauthorizedException' });
      assert.ok((await refresh(pool.clientId, tokens.RefreshToken!)).AuthenticationResult?.AccessToken);
    });

    it('refuses a client with token revocation turned off with UnsupportedOperationException', async () => {
      const { clientId } = await newClient(pool.poolId, { EnableTokenRevocation: false });
      const { email } = await registered(pool, 'norevoke');
      const tokens = await signIn(clientId, email);
      await assert.rejects(revoke(clientId, tokens.RefreshToken!), { name: 'UnsupportedOperationException' });
    });

    it('refuses an access or ID token with UnsupportedTokenTypeException', async () => {
      const { tokens } = await registered(pool, 'jwt');
      await assert.rejects(revoke(pool.clientId, tokens.AccessToken!), { name: 'UnsupportedTokenTypeException' });
      await assert.rejects(revoke(pool.clientId, tokens.IdToken!), { name: 'UnsupportedTokenTypeException' });
    });
  });
});
