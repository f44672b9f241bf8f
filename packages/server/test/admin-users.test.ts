import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type AdminCreateUserCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { passwordProblem } from '../src/domain/password-policy.ts';
import { FakeClock } from '../src/services/clock.ts';
import { bodyOf } from './helpers/mail.ts';
import { attrs, createPoolAndClient, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const TEMP = 'Temp0rary!x';
const PASSWORD = 'Passw0rd!';
const DAY = 86_400_000;

describe('AdminCreateUser, AdminSetUserPassword, AdminUpdateUserAttributes', () => {
  // Operator calls are signed with the SDK's clock and checked against the server's.
  const clock = new FakeClock(Date.now());
  let c: Running;
  let missingPool: string;
  before(async () => {
    c = await startCognate({ clock });
    missingPool = `${c.deps.config.region}_Missing00`;
  });
  after(() => c.stop());

  let n = 0;
  const email = (tag: string) => `${tag}-${++n}@example.com`;
  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) => {
    const { poolId, clientId } = await createPoolAndClient(c, {
      pool: input,
      client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    });
    return { poolId, clientId };
  };
  const create = (poolId: string, input: Partial<AdminCreateUserCommandInput> & { Username: string }) =>
    c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, ...input }));
  const signIn = (clientId: string, username: string, password: string) => passwordSignIn(c, clientId, username, password);
  const userRow = async (poolId: string, username: string) => (await c.deps.store.users.byUsername(poolId, username))!;
  /** The next invitation to `address` and the temporary password in it. */
  const nextInvitation = async (address: string, seen: number) => {
    const mail = await c.inbox.next(address, seen);
    const body = bodyOf(mail.raw);
    const m = /temporary password is (\S+)\.\s/.exec(body);
    assert.ok(m, 'the invitation carries the temporary password');
    return { raw: mail.raw, body, password: m[1]! };
  };
  const outboxTo = (to: string) => c.deps.mailer.recent({ to, limit: 10 });

  describe('AdminCreateUser', () => {
    it('creates a FORCE_CHANGE_PASSWORD user and returns it as UserType', async () => {
      const { poolId } = await newPool();
      const before = clock.now();
      const out = await create(poolId, { Username: 'alice', TemporaryPassword: TEMP, MessageAction: 'SUPPRESS', UserAttributes: attrs({ name: 'Alice' }) });
      const u = out.User!;
      assert.equal(u.Username, 'alice');
      assert.equal(u.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(u.Enabled, true);
      assert.equal(u.UserCreateDate!.getTime(), Math.floor(before / 1000) * 1000);
      assert.equal(u.UserLastModifiedDate!.getTime(), u.UserCreateDate!.getTime());
      const byName = Object.fromEntries(u.Attributes!.map((a) => [a.Name, a.Value]));
      assert.match(byName['sub']!, /^[0-9a-f-]{36}$/);
      assert.equal(byName['name'], 'Alice');
      assert.equal(u.Attributes![0]!.Name, 'sub');
    });

    it('sets the temporary password to expire after TemporaryPasswordValidityDays (default 7)', async () => {
      const { poolId } = await newPool();
      await create(poolId, { Username: 'bob', TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' });
      assert.equal((await userRow(poolId, 'bob')).tempPasswordExpiresAt, clock.now() + 7 * DAY);
      const custom = await newPool({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 2 } } });
      await create(custom.poolId, { Username: 'bob', TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' });
      assert.equal((await userRow(custom.poolId, 'bob')).tempPasswordExpiresAt, clock.now() + 2 * DAY);
    });

    it('treats TemporaryPasswordValidityDays 0 as the default of 7 days', async () => {
      const { poolId } = await newPool({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 0 } } });
      await create(poolId, { Username: 'zero', TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' });
      assert.equal((await userRow(poolId, 'zero')).tempPasswordExpiresAt, clock.now() + 7 * DAY);
    });

    it('mails the invitation with the username and temporary password, and that password signs in to NEW_PASSWORD_REQUIRED', async () => {
      const { poolId, clientId } = await newPool();
      const to = email('invite');
      await create(poolId, { Username: 'carol', UserAttributes: attrs({ email: to }), DesiredDeliveryMediums: ['EMAIL'] });
      const mail = await nextInvitation(to, 0);
      assert.match(mail.raw, /^Subject: Your temporary password/m);
      assert.match(mail.body, /Your username is carol and temporary password is /);
      assert.equal(
        passwordProblem({ MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true }, mail.password),
        null,
      );
      const step = await signIn(clientId, 'carol', mail.password);
      assert.equal(step.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      assert.ok(step.Session);
    });

    it('sends the invitation by email when no medium is asked for and the user has no phone number', async () => {
      const { poolId } = await newPool();
      const to = email('default-medium');
      await create(poolId, { Username: 'dave', TemporaryPassword: TEMP, UserAttributes: attrs({ email: to }) });
      assert.equal((await nextInvitation(to, 0)).password, TEMP);
    });

    it("uses the pool's InviteMessageTemplate", async () => {
      const { poolId } = await newPool({
        AdminCreateUserConfig: {
          InviteMessageTemplate: { EmailSubject: 'Welcome aboard', EmailMessage: 'Hi {username}, your temporary password is {####}. Enjoy.' },
        },
      });
      const to = email('template');
      await create(poolId, { Username: 'erin', TemporaryPassword: TEMP, UserAttributes: attrs({ email: to }), DesiredDeliveryMediums: ['EMAIL'] });
      const mail = await nextInvitation(to, 0);
      assert.match(mail.raw, /^Subject: Welcome aboard/m);
      assert.match(mail.body, new RegExp(`Hi erin, your temporary password is ${TEMP.replace(/[!]/g, '\\!')}\\. Enjoy\\.`));
    });

    it('generates a temporary password that meets a demanding pool policy', async () => {
      const policy = { MinimumLength: 30, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true };
      const { poolId } = await newPool({ Policies: { PasswordPolicy: policy } });
      const to = email('generated');
      await create(poolId, { Username: 'fay', UserAttributes: attrs({ email: to }), DesiredDeliveryMediums: ['EMAIL'] });
      const { password } = await nextInvitation(to, 0);
      assert.equal(password.length, 30);
      assert.equal(passwordProblem(policy, password), null);
    });

    it('sends no message with MessageAction SUPPRESS', async () => {
      const { poolId } = await newPool();
      const to = email('suppress');
      await create(poolId, { Username: 'gus', UserAttributes: attrs({ email: to }), DesiredDeliveryMediums: ['EMAIL'], MessageAction: 'SUPPRESS' });
      assert.deepEqual(await outboxTo(to), []);
    });

    it('queues the invitation as SMS to the phone number when SMS is asked for', async () => {
      const { poolId } = await newPool();
      await create(poolId, {
        Username: 'hal',
        TemporaryPassword: TEMP,
        UserAttributes: attrs({ phone_number: '+15555550100' }),
        DesiredDeliveryMediums: ['SMS'],
      });
      const [sms] = await outboxTo('+15555550100');
      assert.ok(sms);
      assert.equal(sms.body, `Your username is hal and temporary password is ${TEMP}. `);
    });

    it('lets the operator set email_verified', async () => {
      const { poolId } = await newPool();
      const out = await create(poolId, { Username: 'ivy', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: email('ivy'), email_verified: 'true' }) });
      assert.ok(out.User!.Attributes!.some((a) => a.Name === 'email_verified' && a.Value === 'true'));
    });

    it('makes the username a UUID equal to sub where email is the username attribute', async () => {
      const { poolId, clientId } = await newPool({ UsernameAttributes: ['email'] });
      const to = email('byemail');
      const out = await create(poolId, { Username: to, TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' });
      const sub = out.User!.Attributes!.find((a) => a.Name === 'sub')!.Value;
      assert.equal(out.User!.Username, sub);
      assert.ok(out.User!.Attributes!.some((a) => a.Name === 'email' && a.Value === to));
      assert.equal((await signIn(clientId, to, TEMP)).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    });

    it('refuses a Username that is not an email where email is the username attribute with InvalidParameterException', async () => {
      const { poolId } = await newPool({ UsernameAttributes: ['email'] });
      await assert.rejects(create(poolId, { Username: 'not-an-email', MessageAction: 'SUPPRESS' }), {
        name: 'InvalidParameterException',
        message: 'Username should be an email.',
      });
    });

    it('refuses an email-shaped Username where email is an alias with InvalidParameterException', async () => {
      const { poolId } = await newPool({ AliasAttributes: ['email'] });
      await assert.rejects(create(poolId, { Username: email('alias'), MessageAction: 'SUPPRESS' }), {
        name: 'InvalidParameterException',
        message: 'Username cannot be of email format, since user pool is configured for email alias.',
      });
    });

    it('refuses an existing username with UsernameExistsException "User account already exists"', async () => {
      const { poolId } = await newPool();
      await create(poolId, { Username: 'jay', MessageAction: 'SUPPRESS' });
      await assert.rejects(create(poolId, { Username: 'jay', MessageAction: 'SUPPRESS' }), {
        name: 'UsernameExistsException',
        message: 'User account already exists',
      });
    });

    it('refuses an email another user signs in with (username attribute) with UsernameExistsException', async () => {
      const { poolId } = await newPool({ UsernameAttributes: ['email'] });
      const to = email('taken');
      await create(poolId, { Username: to, MessageAction: 'SUPPRESS' });
      await assert.rejects(create(poolId, { Username: to.toUpperCase(), MessageAction: 'SUPPRESS' }), {
        name: 'UsernameExistsException',
        message: 'An account with the given email already exists.',
      });
    });

    it('refuses a verified email alias another user holds with AliasExistsException, and ForceAliasCreation moves it', async () => {
      const { poolId } = await newPool({ AliasAttributes: ['email'] });
      const to = email('alias-held');
      const verified = attrs({ email: to, email_verified: 'true' });
      await create(poolId, { Username: 'kim', MessageAction: 'SUPPRESS', UserAttributes: verified });
      await assert.rejects(create(poolId, { Username: 'lee', MessageAction: 'SUPPRESS', UserAttributes: verified }), {
        name: 'AliasExistsException',
        message: 'An account with the given email already exists.',
      });
      assert.equal(await c.deps.store.users.byUsername(poolId, 'lee'), null, 'nothing is left behind');
      await create(poolId, { Username: 'lee', MessageAction: 'SUPPRESS', UserAttributes: verified, ForceAliasCreation: true });
      assert.equal((await userRow(poolId, 'kim')).attributes['email_verified'], 'false');
      assert.equal((await userRow(poolId, 'lee')).attributes['email_verified'], 'true');
    });

    it('refuses a TemporaryPassword that breaks the policy with InvalidPasswordException in the admin wording', async () => {
      const { poolId } = await newPool();
      await assert.rejects(create(poolId, { Username: 'max', TemporaryPassword: 'password1!' }), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with password policy: Password must have uppercase characters',
      });
    });

    it('refuses a missing required attribute with InvalidParameterException', async () => {
      const { poolId } = await newPool({ Schema: [{ Name: 'name', Required: true }] });
      await assert.rejects(create(poolId, { Username: 'ned', MessageAction: 'SUPPRESS' }), {
        name: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: name: The attribute is required\n',
      });
    });

    it('refuses an attribute outside the schema with InvalidParameterException', async () => {
      const { poolId } = await newPool();
      await assert.rejects(create(poolId, { Username: 'oli', MessageAction: 'SUPPRESS', UserAttributes: attrs({ 'custom:nope': 'x' }) }), {
        name: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n',
      });
    });

    it('refuses an unknown pool with ResourceNotFoundException', async () => {
      await assert.rejects(create(missingPool, { Username: 'pat' }), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missingPool} does not exist.`,
      });
    });

    it('RESEND › mails a new temporary password with a fresh expiry; the old one stops working', async () => {
      const { poolId, clientId } = await newPool();
      const to = email('resend');
      await create(poolId, { Username: 'quinn', UserAttributes: attrs({ email: to }), DesiredDeliveryMediums: ['EMAIL'] });
      const first = await nextInvitation(to, 0);
      clock.advance(DAY);
      const out = await create(poolId, { Username: 'quinn', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] });
      assert.equal(out.User!.UserStatus, 'FORCE_CHANGE_PASSWORD');
      const second = await nextInvitation(to, 1);
      assert.notEqual(second.password, first.password);
      assert.equal((await userRow(poolId, 'quinn')).tempPasswordExpiresAt, clock.now() + 7 * DAY);
      await assert.rejects(signIn(clientId, 'quinn', first.password), { name: 'NotAuthorizedException' });
      assert.equal((await signIn(clientId, 'quinn', second.password)).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    });

    it('RESEND › refuses a user no longer in FORCE_CHANGE_PASSWORD with UnsupportedUserStateException', async () => {
      const { poolId } = await newPool();
      await create(poolId, { Username: 'rae', MessageAction: 'SUPPRESS' });
      await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'rae', Password: PASSWORD, Permanent: true }));
      await assert.rejects(create(poolId, { Username: 'rae', MessageAction: 'RESEND' }), { name: 'UnsupportedUserStateException' });
    });

    it('RESEND › refuses an unknown user with UserNotFoundException', async () => {
      const { poolId } = await newPool();
      await assert.rejects(create(poolId, { Username: 'nobody', MessageAction: 'RESEND' }), { name: 'UserNotFoundException', message: 'User does not exist.' });
    });
  });

  describe('AdminSetUserPassword', () => {
    const setPassword = (poolId: string, username: string, password: string, permanent: boolean) =>
      c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: permanent }));

    it('Permanent › makes the user CONFIRMED with that password', async () => {
      const { poolId, clientId } = await newPool();
      await create(poolId, { Username: 'sam', TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' });
      await setPassword(poolId, 'sam', PASSWORD, true);
      const u = await userRow(poolId, 'sam');
      assert.equal(u.status, 'CONFIRMED');
      assert.equal(u.tempPasswordExpiresAt, null);
      assert.ok((await signIn(clientId, 'sam', PASSWORD)).AuthenticationResult?.AccessToken);
      await assert.rejects(signIn(clientId, 'sam', TEMP), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    it('Permanent › confirms a user who signed up and never confirmed', async () => {
      const { poolId, clientId } = await newPool();
      await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'tess', Password: TEMP }));
      await setPassword(poolId, 'tess', PASSWORD, true);
      assert.equal((await userRow(poolId, 'tess')).status, 'CONFIRMED');
      assert.ok((await signIn(clientId, 'tess', PASSWORD)).AuthenticationResult);
    });

    it('Permanent › ends a lockout at once', async () => {
      const { poolId, clientId } = await newPool();
      await create(poolId, { Username: 'uma', MessageAction: 'SUPPRESS' });
      await setPassword(poolId, 'uma', PASSWORD, true);
      for (let i = 0; i < 5; i++) await assert.rejects(signIn(clientId, 'uma', 'Wr0ng!pass'), { message: 'Incorrect username or password.' });
      await assert.rejects(signIn(clientId, 'uma', PASSWORD), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
      await setPassword(poolId, 'uma', 'N3w!Passw0rd', true);
      assert.ok((await signIn(clientId, 'uma', 'N3w!Passw0rd')).AuthenticationResult);
    });

    it('not Permanent › makes the user FORCE_CHANGE_PASSWORD with a fresh expiry, so the next sign-in must set a new password', async () => {
      const { poolId, clientId } = await newPool();
      await create(poolId, { Username: 'val', MessageAction: 'SUPPRESS' });
      await setPassword(poolId, 'val', PASSWORD, true);
      await setPassword(poolId, 'val', TEMP, false);
      const u = await userRow(poolId, 'val');
      assert.equal(u.status, 'FORCE_CHANGE_PASSWORD');
      assert.equal(u.tempPasswordExpiresAt, clock.now() + 7 * DAY);
      assert.equal((await signIn(clientId, 'val', TEMP)).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    });

    it('signs in through AdminInitiateAuth once set, as the AWS CLI fix for the seed app does', async () => {
      const poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'seed', UsernameAttributes: ['email'] }))).UserPool!.Id!;
      const client = await c.admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'admin', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }),
      );
      const to = email('seed');
      await create(poolId, { Username: to, MessageAction: 'SUPPRESS' });
      await setPassword(poolId, to, PASSWORD, true);
      const out = await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: client.UserPoolClient!.ClientId!,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: to, PASSWORD },
        }),
      );
      assert.ok(out.AuthenticationResult?.IdToken);
    });

    it('refuses a password that breaks the policy with InvalidPasswordException in the admin wording', async () => {
      const { poolId } = await newPool();
      await create(poolId, { Username: 'wes', MessageAction: 'SUPPRESS' });
      await assert.rejects(setPassword(poolId, 'wes', 'Passw0rdX', true), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with password policy: Password must have symbol characters',
      });
    });

    it('refuses an unknown user with UserNotFoundException', async () => {
      const { poolId } = await newPool();
      await assert.rejects(setPassword(poolId, 'nobody', PASSWORD, true), { name: 'UserNotFoundException', message: 'User does not exist.' });
    });

    it('refuses an unknown pool with ResourceNotFoundException', async () => {
      await assert.rejects(setPassword(missingPool, 'nobody', PASSWORD, true), { name: 'ResourceNotFoundException' });
    });
  });

  describe('AdminUpdateUserAttributes', () => {
    const update = (poolId: string, username: string, values: Record<string, string>) =>
      c.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: username, UserAttributes: attrs(values) }));

    it('writes the attributes, leaves the others alone and moves the last-modified date', async () => {
      const { poolId } = await newPool({ Schema: [{ Name: 'tier', AttributeDataType: 'String' }] });
      await create(poolId, { Username: 'xena', MessageAction: 'SUPPRESS', UserAttributes: attrs({ name: 'Xena', nickname: 'x' }) });
      clock.advance(60_000);
      await update(poolId, 'xena', { name: 'Xena W.', 'custom:tier': 'gold' });
      const u = await userRow(poolId, 'xena');
      assert.equal(u.attributes['name'], 'Xena W.');
      assert.equal(u.attributes['custom:tier'], 'gold');
      assert.equal(u.attributes['nickname'], 'x');
      assert.equal(u.updatedAt, clock.now());
    });

    it('lets the operator mark an email verified', async () => {
      const { poolId } = await newPool();
      await create(poolId, { Username: 'yuri', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: email('yuri') }) });
      await update(poolId, 'yuri', { email_verified: 'true' });
      assert.equal((await userRow(poolId, 'yuri')).attributes['email_verified'], 'true');
    });

    it('marks a changed email unverified and mails a verification code to the new address where the pool auto-verifies email', async () => {
      const { poolId } = await newPool({ AutoVerifiedAttributes: ['email'] });
      await create(poolId, { Username: 'zoe', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: email('zoe-old'), email_verified: 'true' }) });
      const to = email('zoe-new');
      await update(poolId, 'zoe', { email: to });
      const u = await userRow(poolId, 'zoe');
      assert.equal(u.attributes['email'], to);
      assert.equal(u.attributes['email_verified'], 'false');
      assert.match(await c.inbox.nextCode(to), /^\d{6}$/);
    });

    it('keeps a changed email verified, and sends nothing, when the same call sets email_verified true', async () => {
      const { poolId } = await newPool({ AutoVerifiedAttributes: ['email'] });
      await create(poolId, { Username: 'abe', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: email('abe-old') }) });
      const to = email('abe-new');
      await update(poolId, 'abe', { email: to, email_verified: 'true' });
      assert.equal((await userRow(poolId, 'abe')).attributes['email_verified'], 'true');
      assert.deepEqual(await outboxTo(to), []);
    });

    it('sends no code where the pool does not auto-verify email', async () => {
      const { poolId } = await newPool();
      await create(poolId, { Username: 'bea', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: email('bea-old'), email_verified: 'true' }) });
      const to = email('bea-new');
      await update(poolId, 'bea', { email: to });
      assert.equal((await userRow(poolId, 'bea')).attributes['email_verified'], 'false');
      assert.deepEqual(await outboxTo(to), []);
    });

    it('keeps the old email until the new one is verified where the pool requires verification before update', async () => {
      const { poolId } = await newPool({
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
      const old = email('cal-old');
      await create(poolId, { Username: 'cal', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: old, email_verified: 'true' }) });
      const to = email('cal-new');
      await update(poolId, 'cal', { email: to });
      const u = await userRow(poolId, 'cal');
      assert.equal(u.attributes['email'], old);
      assert.equal(u.attributes['email_verified'], 'true');
      assert.deepEqual(await c.deps.store.users.pendingAttributes(u.sub), { email: to });
      assert.match(await c.inbox.nextCode(to), /^\d{6}$/);
    });

    it('refuses an email another user signs in with (username attribute) with AliasExistsException', async () => {
      const { poolId } = await newPool({ UsernameAttributes: ['email'] });
      const taken = email('held');
      await create(poolId, { Username: taken, MessageAction: 'SUPPRESS' });
      const mine = email('mine');
      await create(poolId, { Username: mine, MessageAction: 'SUPPRESS' });
      await assert.rejects(update(poolId, mine, { email: taken }), {
        name: 'AliasExistsException',
        message: 'An account with the given email already exists.',
      });
      assert.equal((await c.deps.store.users.byAttribute(poolId, 'email', mine)).length, 1, 'the email is unchanged');
    });

    it('moves a verified email alias to the user who now holds it verified', async () => {
      const { poolId } = await newPool({ AliasAttributes: ['email'] });
      const shared = email('shared');
      await create(poolId, { Username: 'dan', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: shared, email_verified: 'true' }) });
      await create(poolId, { Username: 'eve', MessageAction: 'SUPPRESS' });
      await update(poolId, 'eve', { email: shared, email_verified: 'true' });
      assert.equal((await userRow(poolId, 'dan')).attributes['email_verified'], 'false');
      assert.equal((await userRow(poolId, 'eve')).attributes['email_verified'], 'true');
    });

    it('refuses an immutable attribute with InvalidParameterException', async () => {
      const { poolId } = await newPool({ Schema: [{ Name: 'nickname', Mutable: false }] });
      await create(poolId, { Username: 'fox', MessageAction: 'SUPPRESS', UserAttributes: attrs({ nickname: 'f' }) });
      await assert.rejects(update(poolId, 'fox', { nickname: 'g' }), {
        name: 'InvalidParameterException',
        message: 'Cannot modify the non-mutable attribute nickname',
      });
      await assert.rejects(update(poolId, 'fox', { sub: 'x' }), { name: 'InvalidParameterException' });
      assert.equal((await userRow(poolId, 'fox')).attributes['nickname'], 'f');
    });

    it('refuses an attribute outside the schema with InvalidParameterException', async () => {
      const { poolId } = await newPool();
      await create(poolId, { Username: 'gil', MessageAction: 'SUPPRESS' });
      await assert.rejects(update(poolId, 'gil', { 'custom:nope': 'x' }), { name: 'InvalidParameterException' });
    });

    it('refuses an unknown user with UserNotFoundException', async () => {
      const { poolId } = await newPool();
      await assert.rejects(update(poolId, 'nobody', { name: 'x' }), { name: 'UserNotFoundException', message: 'User does not exist.' });
    });

    it('refuses an unknown pool with ResourceNotFoundException', async () => {
      await assert.rejects(update(missingPool, 'nobody', { name: 'x' }), { name: 'ResourceNotFoundException' });
    });
  });
});
