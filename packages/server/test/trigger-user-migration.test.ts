import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { hostedSignIn } from './helpers/hosted-login.ts';
import { bodyOf } from './helpers/mail.ts';
import { attrs, createClient, createConfirmedUser, createPool, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { TriggerFunctions } from './helpers/trigger-functions.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { largeA, newHelper, poolNameOf } from './helpers/srp-client.ts';

// The migrate user trigger through the real SDK: an unknown name at a
// password sign-in or in ForgotPassword is offered to the function, whose
// answer creates the user (attributes, status, password as given, welcome
// message, aliases, SMS MFA) before the operation carries on; the failures
// and PreventUserExistenceErrors answer as Cognito's do.

const CALLBACK = 'http://localhost:3999/callback';
/** Breaks the pool's default policy: migrated passwords are accepted as they are. */
const LEGACY_PASSWORD = 'legacy';

describe('user migration', () => {
  let c: Running;
  const fns = new TriggerFunctions().scripted('migrate');

  before(async () => {
    c = await startCognate({ config: { functionsFile: fns.functionsFile } });
  });
  after(async () => {
    await c.stop();
    fns.cleanup();
  });

  async function poolWithMigration(opts: { pool?: Partial<CreateUserPoolCommandInput>; client?: Partial<CreateUserPoolClientCommandInput> } = {}) {
    const poolId = await createPool(c, { LambdaConfig: { UserMigration: fns.arn('migrate') }, ...opts.pool });
    const { clientId } = await createClient(c, poolId, opts.client);
    fns.reset('migrate');
    return { poolId, clientId };
  }

  const getUser = (poolId: string, username: string) => c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const attribute = (user: { UserAttributes?: { Name?: string; Value?: string }[] }, name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
  const migrating = (response: Record<string, unknown>) => fns.plan('migrate', { respond: response });

  describe('at sign-in (UserMigration_Authentication)', () => {
    it('sends the event with the password and InitiateAuth ClientMetadata as validationData, creates the user, and signs them in', async () => {
      const { poolId, clientId } = await poolWithMigration();
      migrating({
        userAttributes: { email: 'old@example.com', email_verified: 'true', name: 'Old Timer' },
        finalUserStatus: 'CONFIRMED',
        messageAction: 'SUPPRESS',
      });
      const out = await c.anon.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'oldie', PASSWORD: LEGACY_PASSWORD },
          ClientMetadata: { source: 'legacy-app' },
        }),
      );
      const id = decodeJwt(out.AuthenticationResult!.IdToken!);
      assert.equal(id['cognito:username'], 'oldie');
      assert.equal(id['email'], 'old@example.com');
      const [event] = fns.take('migrate');
      assert.equal(event!.version, '1');
      assert.equal(event!.triggerSource, 'UserMigration_Authentication');
      assert.equal(event!.userPoolId, poolId);
      assert.equal(event!.userName, 'oldie');
      assert.equal(event!.callerContext.clientId, clientId);
      assert.deepEqual(event!.request, { password: LEGACY_PASSWORD, validationData: { source: 'legacy-app' } });
      const user = await getUser(poolId, 'oldie');
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(attribute(user, 'name'), 'Old Timer');
      assert.equal(attribute(user, 'email_verified'), 'true');
      assert.equal(c.inbox.count('old@example.com'), 0, 'SUPPRESS sends no welcome');
      // The migrated password is the user's now: the next sign-in is the pool's own, without the function.
      assert.ok((await passwordSignIn(c, clientId, 'oldie', LEGACY_PASSWORD)).AuthenticationResult?.AccessToken);
      await assert.rejects(passwordSignIn(c, clientId, 'oldie', 'wrong'), { name: 'NotAuthorizedException' });
      assert.deepEqual(fns.take('migrate'), []);
    });

    it('migrates at ADMIN_USER_PASSWORD_AUTH; RESET_REQUIRED (or no status) answers PasswordResetRequiredException', async () => {
      const { poolId, clientId } = await poolWithMigration();
      migrating({ userAttributes: { email: 'reset@example.com', email_verified: 'true' }, messageAction: 'SUPPRESS' });
      await assert.rejects(
        c.admin.send(
          new AdminInitiateAuthCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'resetme', PASSWORD: LEGACY_PASSWORD },
          }),
        ),
        { name: 'PasswordResetRequiredException' },
      );
      assert.equal(fns.take('migrate')[0]!.triggerSource, 'UserMigration_Authentication');
      assert.equal((await getUser(poolId, 'resetme')).UserStatus, 'RESET_REQUIRED');
    });

    it('sends the welcome message unless suppressed, by the mediums asked for, never with the password', async () => {
      const { poolId, clientId } = await poolWithMigration();
      migrating({ userAttributes: { email: 'welcome@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', desiredDeliveryMediums: ['EMAIL'] });
      await passwordSignIn(c, clientId, 'welcomed', 'Sup3rSecret!');
      const mail = await c.inbox.next('welcome@example.com', 0);
      const body = bodyOf(mail.raw);
      assert.match(body, /welcomed/);
      assert.doesNotMatch(body, /Sup3rSecret!/);
      assert.equal((await getUser(poolId, 'welcomed')).UserStatus, 'CONFIRMED');
    });

    it('answers a function that returns no attributes as Cognito does, and under PreventUserExistenceErrors as a wrong password', async () => {
      const { poolId, clientId } = await poolWithMigration();
      await assert.rejects(passwordSignIn(c, clientId, 'stranger', LEGACY_PASSWORD), {
        name: 'UserNotFoundException',
        message: `Exception migrating user in app client ${clientId}`,
      });
      const hidden = await createClient(c, poolId, { PreventUserExistenceErrors: 'ENABLED' });
      await assert.rejects(passwordSignIn(c, hidden.clientId, 'stranger', LEGACY_PASSWORD), {
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
      assert.equal(fns.take('migrate').length, 2);
      await assert.rejects(getUser(poolId, 'stranger'), { name: 'UserNotFoundException' });
    });

    it('fails the sign-in with UserLambdaValidationException when the function throws, creating no user', async () => {
      const { poolId, clientId } = await poolWithMigration();
      fns.plan('migrate', { throw: 'Bad password' });
      await assert.rejects(passwordSignIn(c, clientId, 'liar', LEGACY_PASSWORD), {
        name: 'UserLambdaValidationException',
        message: 'UserMigration failed with error Bad password.',
      });
      fns.plan('migrate', { respond: { userAttributes: { email: 42 } } });
      await assert.rejects(passwordSignIn(c, clientId, 'liar', LEGACY_PASSWORD), { name: 'InvalidLambdaResponseException' });
      await assert.rejects(getUser(poolId, 'liar'), { name: 'UserNotFoundException' });
    });

    it('refuses an alias another user holds unless forceAliasCreation moves it', async () => {
      const { poolId, clientId } = await poolWithMigration({ pool: { AliasAttributes: ['email'] } });
      await createConfirmedUser(c, poolId, 'holder', { attributes: attrs({ email: 'shared@example.com', email_verified: 'true' }) });
      const answer = { userAttributes: { email: 'shared@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' };
      migrating(answer);
      await assert.rejects(passwordSignIn(c, clientId, 'newcomer', LEGACY_PASSWORD), { name: 'AliasExistsException' });
      await assert.rejects(getUser(poolId, 'newcomer'), { name: 'UserNotFoundException' });
      migrating({ ...answer, forceAliasCreation: true });
      assert.ok((await passwordSignIn(c, clientId, 'newcomer', LEGACY_PASSWORD)).AuthenticationResult);
      assert.equal(attribute(await getUser(poolId, 'holder'), 'email_verified'), 'false');
      // The alias now signs the new user in.
      assert.equal(
        decodeJwt((await passwordSignIn(c, clientId, 'shared@example.com', LEGACY_PASSWORD)).AuthenticationResult!.IdToken!)['cognito:username'],
        'newcomer',
      );
    });

    it('turns SMS MFA on when enableSMSMFA asks, which needs a phone number', async () => {
      const { poolId, clientId } = await poolWithMigration();
      migrating({ userAttributes: { email: 'nophone@example.com' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS', enableSMSMFA: true });
      await assert.rejects(passwordSignIn(c, clientId, 'nophone', LEGACY_PASSWORD), { name: 'InvalidParameterException' });
      await assert.rejects(getUser(poolId, 'nophone'), { name: 'UserNotFoundException' });
      migrating({
        userAttributes: { phone_number: '+15555550123', phone_number_verified: 'true' },
        finalUserStatus: 'CONFIRMED',
        messageAction: 'SUPPRESS',
        enableSMSMFA: true,
      });
      await passwordSignIn(c, clientId, 'texter', LEGACY_PASSWORD).catch(() => undefined);
      const user = await getUser(poolId, 'texter');
      assert.deepEqual(user.UserMFASettingList, ['SMS_MFA']);
      assert.equal(user.PreferredMfaSetting, 'SMS_MFA');
    });

    it('migrates through the managed-login password form', async () => {
      const { poolId, clientId } = await poolWithMigration({
        client: {
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
        },
      });
      migrating({ userAttributes: { email: 'paged@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' });
      const { location } = await hostedSignIn(
        c.url,
        { response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' },
        'paged',
        LEGACY_PASSWORD,
      );
      assert.ok(location.searchParams.get('code'));
      assert.equal(fns.take('migrate')[0]!.triggerSource, 'UserMigration_Authentication');
      assert.equal((await getUser(poolId, 'paged')).UserStatus, 'CONFIRMED');
    });

    it('is not asked by SRP sign-in, which hands over no password', async () => {
      const { poolId, clientId } = await poolWithMigration();
      await createClient(c, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }).then(async ({ clientId: srpClient }) => {
        const A = await largeA(newHelper(poolNameOf(poolId)));
        await c.anon
          .send(
            new InitiateAuthCommand({ ClientId: srpClient, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'srp-stranger', SRP_A: A.toString(16) } }),
          )
          .catch(() => undefined);
      });
      assert.deepEqual(fns.take('migrate'), []);
      assert.ok(clientId);
    });

    it('leaves an unknown name as it was in a pool without the trigger', async () => {
      const poolId = await createPool(c);
      const { clientId } = await createClient(c, poolId);
      await assert.rejects(passwordSignIn(c, clientId, 'nobody', PASSWORD), { name: 'UserNotFoundException', message: 'User does not exist.' });
      assert.deepEqual(fns.take('migrate'), []);
    });
  });

  describe('in ForgotPassword (UserMigration_ForgotPassword)', () => {
    it('sends the event without a password and with ClientMetadata, creates the user, and sends the reset code', async () => {
      const { poolId, clientId } = await poolWithMigration();
      migrating({ userAttributes: { email: 'forgot@example.com', email_verified: 'true' }, messageAction: 'SUPPRESS' });
      const out = await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'forgetful', ClientMetadata: { reason: 'lost' } }));
      assert.equal(out.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      const [event] = fns.take('migrate');
      assert.equal(event!.triggerSource, 'UserMigration_ForgotPassword');
      assert.equal(event!.userName, 'forgetful');
      assert.deepEqual(event!.request, { clientMetadata: { reason: 'lost' } });
      assert.equal((await getUser(poolId, 'forgetful')).UserStatus, 'RESET_REQUIRED');
      const code = await c.inbox.nextCode('forgot@example.com');
      await c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'forgetful', ConfirmationCode: code, Password: 'N3w-passw0rd!' }));
      assert.equal((await getUser(poolId, 'forgetful')).UserStatus, 'CONFIRMED');
      assert.ok((await passwordSignIn(c, clientId, 'forgetful', 'N3w-passw0rd!')).AuthenticationResult?.AccessToken);
      assert.deepEqual(fns.take('migrate'), []);
    });

    it('answers a declining function with UserNotFoundException, or a simulated delivery under PreventUserExistenceErrors', async () => {
      const { poolId, clientId } = await poolWithMigration();
      await assert.rejects(c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost' })), {
        name: 'UserNotFoundException',
        message: `Exception migrating user in app client ${clientId}`,
      });
      const hidden = await createClient(c, poolId, { PreventUserExistenceErrors: 'ENABLED' });
      const out = await c.anon.send(new ForgotPasswordCommand({ ClientId: hidden.clientId, Username: 'ghost' }));
      assert.ok(out.CodeDeliveryDetails);
      await assert.rejects(getUser(poolId, 'ghost'), { name: 'UserNotFoundException' });
    });
  });
});
