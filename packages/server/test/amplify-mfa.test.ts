import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  confirmSignIn,
  fetchMFAPreference,
  fetchUserAttributes,
  getCurrentUser,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
  type SignInOutput,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  type CreateUserPoolCommandInput,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../src/services/clock.ts';
import { configureAmplify, MapStorage } from './helpers/amplify.ts';
import { createConfirmedUser, createPoolAndClient } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { otherCode, totpCode } from './helpers/totp.ts';

// Amplify v6 (aws-amplify/auth), unmodified, against Cognate: MFA enrolment
// and second-factor sign-in in pools with MfaConfiguration ON and OPTIONAL,
// email MFA set up during sign-in, and choice-based (USER_AUTH) passwordless
// sign-in. Amplify signs in with SRP and signs its TIMESTAMP with the real
// time, so the server's clock is the real one plus an offset the test moves
// one TOTP step (30 s) forward between codes, making each code new.

const PASSWORD = 'Passw0rd!';

class ShiftedClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}
const clock = new ShiftedClock();

/** The code an authenticator app shows for `secret` at the server's time. */
const totp = (secret: string) => totpCode(secret, clock.now());

let c: Running;
let seq = 0;

before(async () => {
  c = await startCognate({ clock });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MapStorage());
});
after(() => c.stop());

/** A pool with this MFA configuration and an SRP app client; Amplify is pointed at it. */
async function usePool(
  mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>,
  pool: Partial<CreateUserPoolCommandInput> = {},
  flows: string[] = ['ALLOW_USER_SRP_AUTH'],
) {
  const { poolId, clientId } = await createPoolAndClient(c, {
    pool: { PoolName: 'amplify-mfa', ...pool },
    mfa,
    client: { ClientName: 'web', ExplicitAuthFlows: [...flows, 'ALLOW_REFRESH_TOKEN_AUTH'] as never },
  });
  configureAmplify(c.url, poolId, clientId);
  return { poolId, clientId };
}

/** A confirmed user with a permanent password; with a verified email unless `email: false`. */
async function newUser(poolId: string, o: { email?: boolean } = {}) {
  const username = `amp${++seq}`;
  const email = `${username}@example.com`;
  await createConfirmedUser(c, poolId, username, {
    password: PASSWORD,
    attributes:
      o.email === false
        ? []
        : [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
  });
  return { username, email };
}

/** Asserts Amplify reports the sign-in complete and the user signed in, then signs out. */
async function assertSignedIn(out: SignInOutput, username: string): Promise<void> {
  assert.equal(out.nextStep.signInStep, 'DONE');
  assert.equal(out.isSignedIn, true);
  assert.equal((await getCurrentUser()).username, username);
  await signOut();
}

describe('Amplify v6: MFA required (ON) with an authenticator app', () => {
  it('signIn › CONTINUE_SIGN_IN_WITH_TOTP_SETUP › confirmSignIn(code) signs in; the next signIn › CONFIRM_SIGN_IN_WITH_TOTP_CODE › confirmSignIn signs in', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const { username } = await newUser(poolId, { email: false });

    const setup = await signIn({ username, password: PASSWORD });
    assert.equal(setup.isSignedIn, false);
    assert.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    if (setup.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') return;
    const secret = setup.nextStep.totpSetupDetails.sharedSecret;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = setup.nextStep.totpSetupDetails.getSetupUri('Cognate');
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('secret'), secret);
    // A wrong code is refused (VerifySoftwareToken) and the sign-in can still be finished.
    await assert.rejects(confirmSignIn({ challengeResponse: otherCode(totp(secret)) }), {
      name: 'EnableSoftwareTokenMFAException',
      message: 'Code mismatch and fail enable Software Token MFA',
    });
    await assertSignedIn(await confirmSignIn({ challengeResponse: totp(secret), options: { friendlyDeviceName: 'phone' } }), username);
    const admin = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual(admin.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

    clock.advance(30_000); // the enrolment code's step is spent
    const again = await signIn({ username, password: PASSWORD });
    assert.equal(again.isSignedIn, false);
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await assert.rejects(confirmSignIn({ challengeResponse: otherCode(totp(secret)) }), {
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    await assertSignedIn(await confirmSignIn({ challengeResponse: totp(secret) }), username);
  });
});

describe('Amplify v6: email MFA', () => {
  it('signIn › CONFIRM_SIGN_IN_WITH_EMAIL_CODE with the masked destination › confirmSignIn(mailed code) signs in', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'ON', EmailMfaConfiguration: {} });
    const { username, email } = await newUser(poolId);
    const out = await signIn({ username, password: PASSWORD });
    assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    if (out.nextStep.signInStep !== 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE') return;
    assert.deepEqual(out.nextStep.codeDeliveryDetails, { deliveryMedium: 'EMAIL', destination: 'a***@e***' });
    await assertSignedIn(await confirmSignIn({ challengeResponse: await c.inbox.nextCode(email) }), username);
  });

  it('a user without an email: signIn › CONTINUE_SIGN_IN_WITH_EMAIL_SETUP › confirmSignIn(address) › CONFIRM_SIGN_IN_WITH_EMAIL_CODE › confirmSignIn(code) signs in with that email verified', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'ON', EmailMfaConfiguration: {} });
    const { username, email } = await newUser(poolId, { email: false });
    const setup = await signIn({ username, password: PASSWORD });
    assert.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    const sent = await confirmSignIn({ challengeResponse: email });
    assert.equal(sent.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const code = await c.inbox.nextCode(email);
    await assert.rejects(confirmSignIn({ challengeResponse: otherCode(code) }), {
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    const done = await confirmSignIn({ challengeResponse: code });
    assert.equal(done.nextStep.signInStep, 'DONE');
    const attrs = await fetchUserAttributes();
    assert.equal(attrs.email, email);
    assert.equal(attrs.email_verified, 'true');
    assert.deepEqual(await fetchMFAPreference(), { preferred: undefined, enabled: ['EMAIL'] });
    await signOut();

    // From now on the email is the user's second factor.
    const again = await signIn({ username, password: PASSWORD });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    await assertSignedIn(await confirmSignIn({ challengeResponse: await c.inbox.nextCode(email) }), username);
  });

  it('a pool offering TOTP and email: CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION, then either factor is set up', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
    const viaEmail = await newUser(poolId, { email: false });
    const choice = await signIn({ username: viaEmail.username, password: PASSWORD });
    assert.equal(choice.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    if (choice.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION') return;
    assert.deepEqual(choice.nextStep.allowedMFATypes, ['TOTP', 'EMAIL']);
    assert.equal((await confirmSignIn({ challengeResponse: 'EMAIL' })).nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    assert.equal((await confirmSignIn({ challengeResponse: viaEmail.email })).nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    await assertSignedIn(await confirmSignIn({ challengeResponse: await c.inbox.nextCode(viaEmail.email) }), viaEmail.username);

    const viaTotp = await newUser(poolId, { email: false });
    assert.equal((await signIn({ username: viaTotp.username, password: PASSWORD })).nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    const totpSetup = await confirmSignIn({ challengeResponse: 'TOTP' });
    assert.equal(totpSetup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    if (totpSetup.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') return;
    await assertSignedIn(await confirmSignIn({ challengeResponse: totp(totpSetup.nextStep.totpSetupDetails.sharedSecret) }), viaTotp.username);
  });

  it('several factors and none preferred: CONTINUE_SIGN_IN_WITH_MFA_SELECTION › confirmSignIn("EMAIL") › CONFIRM_SIGN_IN_WITH_EMAIL_CODE › signed in', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
    const { username, email } = await newUser(poolId);
    // Enrol an authenticator first (a user with a verified email gets an email code on the way).
    const first = await signIn({ username, password: PASSWORD });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal((await confirmSignIn({ challengeResponse: await c.inbox.nextCode(email) })).isSignedIn, true);
    const { sharedSecret } = await setUpTOTP();
    await verifyTOTPSetup({ code: totp(sharedSecret) });
    await signOut();
    await c.admin.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: username,
        SoftwareTokenMfaSettings: { Enabled: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );

    const out = await signIn({ username, password: PASSWORD });
    assert.equal(out.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
    if (out.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION') return;
    assert.deepEqual(out.nextStep.allowedMFATypes, ['TOTP', 'EMAIL']);
    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    await assertSignedIn(await confirmSignIn({ challengeResponse: await c.inbox.nextCode(email) }), username);

    clock.advance(30_000);
    assert.equal((await signIn({ username, password: PASSWORD })).nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
    assert.equal((await confirmSignIn({ challengeResponse: 'TOTP' })).nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await assertSignedIn(await confirmSignIn({ challengeResponse: totp(sharedSecret) }), username);
  });
});

describe('Amplify v6: MFA settings of a signed-in user (OPTIONAL pool)', () => {
  it('setUpTOTP › verifyTOTPSetup › updateMFAPreference › fetchMFAPreference; the next signIn asks for the TOTP code', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
    const { username } = await newUser(poolId);
    assert.equal((await signIn({ username, password: PASSWORD })).isSignedIn, true, 'no MFA yet');
    assert.deepEqual(await fetchMFAPreference(), { preferred: undefined, enabled: undefined });

    const details = await setUpTOTP();
    assert.equal(details.getSetupUri('Cognate', username).searchParams.get('secret'), details.sharedSecret);
    await assert.rejects(verifyTOTPSetup({ code: otherCode(totp(details.sharedSecret)) }), {
      name: 'EnableSoftwareTokenMFAException',
      message: 'Code mismatch and fail enable Software Token MFA',
    });
    await verifyTOTPSetup({ code: totp(details.sharedSecret), options: { friendlyDeviceName: 'phone' } });
    assert.deepEqual(await fetchMFAPreference(), { preferred: undefined, enabled: undefined }, 'verified, not yet turned on');
    await updateMFAPreference({ totp: 'PREFERRED', email: 'ENABLED' });
    assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP', 'EMAIL'], preferred: 'TOTP' });
    await updateMFAPreference({ email: 'DISABLED' });
    assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });
    await signOut();

    clock.advance(30_000);
    const out = await signIn({ username, password: PASSWORD });
    assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await assertSignedIn(await confirmSignIn({ challengeResponse: totp(details.sharedSecret) }), username);
  });
});

describe('Amplify v6: USER_AUTH (choice-based) passwordless sign-in', () => {
  const pool: Partial<CreateUserPoolCommandInput> = { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } };

  it('preferredChallenge EMAIL_OTP › CONFIRM_SIGN_IN_WITH_EMAIL_CODE › confirmSignIn(code) signs in without a password', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'OFF' }, pool, ['ALLOW_USER_AUTH']);
    const { username, email } = await newUser(poolId);
    const out = await signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    if (out.nextStep.signInStep !== 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE') return;
    assert.equal(out.nextStep.codeDeliveryDetails?.deliveryMedium, 'EMAIL');
    const code = await c.inbox.nextCode(email);
    await assert.rejects(confirmSignIn({ challengeResponse: otherCode(code) }), { name: 'CodeMismatchException' });
    await assertSignedIn(await confirmSignIn({ challengeResponse: code }), username);
  });

  it('no preferred challenge › CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION › EMAIL_OTP or PASSWORD', async () => {
    const { poolId } = await usePool({ MfaConfiguration: 'OFF' }, pool, ['ALLOW_USER_AUTH']);
    const { username, email } = await newUser(poolId);
    const out = await signIn({ username, options: { authFlowType: 'USER_AUTH' } });
    assert.equal(out.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    if (out.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION') return;
    assert.deepEqual(out.nextStep.availableChallenges, ['EMAIL_OTP', 'PASSWORD', 'PASSWORD_SRP']);
    const emailed = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    assert.equal(emailed.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    await assertSignedIn(await confirmSignIn({ challengeResponse: await c.inbox.nextCode(email) }), username);

    assert.equal((await signIn({ username, options: { authFlowType: 'USER_AUTH' } })).nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.equal((await confirmSignIn({ challengeResponse: 'PASSWORD' })).nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_PASSWORD');
    await assertSignedIn(await confirmSignIn({ challengeResponse: PASSWORD }), username);
  });
});

describe('AWS SDK: email MFA set up through MFA_SETUP', () => {
  it('MFAS_CAN_SETUP lists EMAIL_OTP; answering MFA_SETUP with EMAIL mails a code (EMAIL_OTP); the code signs in, verifies the email and turns email MFA on', async () => {
    const { poolId, clientId } = await usePool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} }, {}, [
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
    ]);
    const { username, email } = await newUser(poolId, { email: false });
    const start = () =>
      c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      );
    const respond = (name: string, session: string | undefined, responses: Record<string, string>) =>
      c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: name as never,
          Session: session,
          ChallengeResponses: responses,
        }),
      );

    const setup = await start();
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(setup.ChallengeParameters!['MFAS_CAN_SETUP']!), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
    await assert.rejects(respond('MFA_SETUP', setup.Session, { USERNAME: username, EMAIL: 'not-an-email' }), {
      name: 'InvalidParameterException',
      message: 'Invalid email address format.',
    });
    const challenged = await respond('MFA_SETUP', setup.Session, { USERNAME: username, EMAIL: email });
    assert.equal(challenged.ChallengeName, 'EMAIL_OTP');
    assert.deepEqual(challenged.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'a***@e***' });
    assert.ok(challenged.Session && challenged.Session !== setup.Session);
    // The MFA_SETUP Session is spent.
    await assert.rejects(respond('MFA_SETUP', setup.Session, { USERNAME: username, EMAIL: email }), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    const code = await c.inbox.nextCode(email);
    // Nothing is written before the code is confirmed.
    const before = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(
      before.UserAttributes?.find((a) => a.Name === 'email'),
      undefined,
    );
    assert.equal(before.UserMFASettingList, undefined);

    const done = await respond('EMAIL_OTP', challenged.Session, { USERNAME: username, EMAIL_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.IdToken);
    const idClaims = JSON.parse(Buffer.from(done.AuthenticationResult.IdToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal(idClaims['email'], email);
    assert.equal(idClaims['email_verified'], true);
    const user = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual(user.UserMFASettingList, ['EMAIL_OTP']);
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');

    const next = await start();
    assert.equal(next.ChallengeName, 'EMAIL_OTP');
    assert.ok((await respond('EMAIL_OTP', next.Session, { USERNAME: username, EMAIL_OTP_CODE: await c.inbox.nextCode(email) })).AuthenticationResult);
  });

  it('refuses an address another user signs in with (AliasExistsException), leaving the Session usable', async () => {
    const { poolId, clientId } = await usePool({ MfaConfiguration: 'ON', EmailMfaConfiguration: {} }, { AliasAttributes: ['email'] }, [
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
    ]);
    const holder = await newUser(poolId);
    const { username, email } = await newUser(poolId, { email: false });
    const setup = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    assert.deepEqual(JSON.parse(setup.ChallengeParameters!['MFAS_CAN_SETUP']!), ['EMAIL_OTP']);
    const answer = (address: string) =>
      c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'MFA_SETUP',
          Session: setup.Session,
          ChallengeResponses: { USERNAME: username, EMAIL: address },
        }),
      );
    await assert.rejects(answer(holder.email), { name: 'AliasExistsException', message: 'An account with the given email already exists.' });
    assert.equal((await answer(email)).ChallengeName, 'EMAIL_OTP');
    assert.match(await c.inbox.nextCode(email), /^\d{6}$/);
  });

  it('refuses EMAIL in MFA_SETUP when the pool does not offer email MFA', async () => {
    const { poolId, clientId } = await usePool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }, {}, [
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
    ]);
    const { username, email } = await newUser(poolId, { email: false });
    const setup = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    assert.deepEqual(JSON.parse(setup.ChallengeParameters!['MFAS_CAN_SETUP']!), ['SOFTWARE_TOKEN_MFA']);
    await assert.rejects(
      c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'MFA_SETUP',
          Session: setup.Session,
          ChallengeResponses: { USERNAME: username, EMAIL: email },
        }),
      ),
      { name: 'InvalidParameterException', message: 'Email MFA is not enabled for this user pool.' },
    );
  });
});
