import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { bodyOf } from './helpers/mail.ts';
import { attrs, createConfirmedUser, createPoolAndClient, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { arnOf, TriggerFunctions } from './helpers/trigger-functions.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { SMS_CONFIG, startSmsWebhook, type SmsWebhook } from './helpers/sms.ts';

// The CustomMessage trigger through the real SDK, a real SMTP inbox and the
// SMS webhook/outbox: the event Cognito sends for each message kind, the
// function's texts with the real code put in after it returns, the pool's
// template when it returns nothing usable, and its failures failing the
// operation before anything is written.

// The user's `nickname` tells the function how to answer, so flows that
// carry no ClientMetadata (sign-in codes) can be steered too.
const HANDLER = `
export const handler = async (event) => {
  RECORD(event);
  const mode = event.request.clientMetadata?.mode ?? event.request.userAttributes.nickname;
  if (mode === 'throw') throw new Error('no messages today');
  if (mode === 'garbage') return 'not an event';
  if (mode === 'wrong-type') { event.response.emailMessage = 42; return event; }
  if (mode === 'default') return event;
  if (mode === 'drop') {
    event.response.emailSubject = 'Subject without a code';
    event.response.emailMessage = 'A message that forgot the code';
    event.response.smsMessage = 'An SMS that forgot the code';
    return event;
  }
  if (mode === 'no-username') {
    event.response.emailMessage = 'Your password: ' + event.request.codeParameter;
    return event;
  }
  const who = event.request.usernameParameter ? ' for ' + event.request.usernameParameter : '';
  event.response.emailSubject = 'Subject of ' + event.triggerSource;
  event.response.emailMessage = 'Mail of ' + event.triggerSource + who + ': code [' + event.request.codeParameter + ']';
  event.response.smsMessage = 'SMS of ' + event.triggerSource + who + ': [' + event.request.codeParameter + ']';
  return event;
};`;

const WEBHOOK_SECRET = 'custom-message-webhook';
let c: Running;
let fns: TriggerFunctions;
let sms: SmsWebhook;
let seq = 0;

const events = () => fns.events('custom-message');
const lastEvent = () => events().at(-1) as { triggerSource: string; request: Record<string, unknown>; [k: string]: unknown };

/** The mail to `to` after the first `before` (waiting for it): its subject, text and the code the function's text carries. */
async function mailAfter(to: string, before: number): Promise<{ subject: string; text: string; code: string | undefined }> {
  const mail = await c.inbox.next(to, before);
  const text = bodyOf(mail.raw);
  return { subject: /^Subject: (.*)$/m.exec(mail.raw)?.[1] ?? '', text, code: /\[(\d{6})\]/.exec(text)?.[1] };
}

/** The first mail to a fresh address. */
const nextMail = (to: string) => mailAfter(to, 0);

async function newPool(extra: Parameters<typeof createPoolAndClient>[1] = {}) {
  const { poolId, clientId } = await createPoolAndClient(c, {
    ...extra,
    pool: { AutoVerifiedAttributes: ['email'], LambdaConfig: { CustomMessage: arnOf('custom-message') }, ...extra.pool },
  });
  return { poolId, clientId };
}

const newEmail = () => `user${++seq}@example.com`;

before(async () => {
  fns = new TriggerFunctions().module('custom-message', HANDLER);
  sms = await startSmsWebhook(WEBHOOK_SECRET);
  c = await startCognate({ config: { functionsFile: fns.functionsFile, smsWebhookUrl: sms.url, smsWebhookSecret: WEBHOOK_SECRET } });
});
after(async () => {
  await c.stop();
  await sms.close();
  fns.cleanup();
});

describe('CustomMessage › the event Cognito sends', () => {
  it('SignUp: CustomMessage_SignUp with the placeholders, the user attributes, ClientMetadata and a null response; never the code', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    const before = c.inbox.count(email);
    const out = await c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }), ClientMetadata: { app: 'web' } }),
    );
    const event = lastEvent();
    assert.deepEqual(Object.keys(event).sort(), ['callerContext', 'region', 'request', 'response', 'triggerSource', 'userName', 'userPoolId', 'version']);
    assert.equal(event['version'], '1');
    assert.equal(event.triggerSource, 'CustomMessage_SignUp');
    assert.equal(event['region'], 'us-east-1');
    assert.equal(event['userPoolId'], poolId);
    assert.equal(event['userName'], email);
    const caller = event['callerContext'] as { awsSdkVersion: string; clientId: string };
    assert.equal(caller.clientId, clientId);
    assert.match(caller.awsSdkVersion, /^aws-sdk-js-\d/);
    assert.deepEqual(event.request, {
      userAttributes: { sub: out.UserSub, email, 'cognito:user_status': 'UNCONFIRMED' },
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: null,
      clientMetadata: { app: 'web' },
    });
    assert.deepEqual(event['response'], { smsMessage: null, emailMessage: null, emailSubject: null });

    const mail = await mailAfter(email, before);
    assert.equal(mail.subject, 'Subject of CustomMessage_SignUp');
    assert.match(mail.text, /Mail of CustomMessage_SignUp: code \[\d{6}\]/);
    assert.ok(!JSON.stringify(events()).includes(mail.code!), 'the function never sees the code');
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: mail.code! }));
    const user = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    assert.equal(user.UserStatus, 'CONFIRMED');
  });

  it('leaves clientMetadata out when the call sends none', async () => {
    const { clientId } = await newPool();
    const email = newEmail();
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }) }));
    assert.ok(!('clientMetadata' in lastEvent().request));
  });
});

describe('CustomMessage › every message kind carries the function text and a working code', () => {
  it('ResendConfirmationCode: CustomMessage_ResendCode', async () => {
    const { clientId } = await newPool();
    const email = newEmail();
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }) }));
    await mailAfter(email, 0);
    await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email, ClientMetadata: { step: 'resend' } }));
    assert.equal(lastEvent().triggerSource, 'CustomMessage_ResendCode');
    assert.deepEqual(lastEvent().request['clientMetadata'], { step: 'resend' });
    const mail = await mailAfter(email, 1);
    assert.equal(mail.subject, 'Subject of CustomMessage_ResendCode');
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: mail.code! }));
  });

  it('ForgotPassword: CustomMessage_ForgotPassword; the code resets the password', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    await createConfirmedUser(c, poolId, email, { attributes: attrs({ email, email_verified: 'true' }) });
    const before = c.inbox.count(email);
    await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    const event = lastEvent();
    assert.equal(event.triggerSource, 'CustomMessage_ForgotPassword');
    assert.equal((event.request['userAttributes'] as Record<string, string>)['cognito:user_status'], 'CONFIRMED');
    assert.equal(event.request['usernameParameter'], null);
    const mail = await mailAfter(email, before);
    assert.match(mail.text, /Mail of CustomMessage_ForgotPassword: code \[\d{6}\]/);
    await c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: email, ConfirmationCode: mail.code!, Password: 'N3w-Passw0rd!' }));
    assert.ok((await passwordSignIn(c, clientId, email, 'N3w-Passw0rd!')).AuthenticationResult);
  });

  it('AdminResetUserPassword: CustomMessage_ForgotPassword with no app client', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    await createConfirmedUser(c, poolId, email, { attributes: attrs({ email, email_verified: 'true' }) });
    const before = c.inbox.count(email);
    await c.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: email, ClientMetadata: { by: 'operator' } }));
    const event = lastEvent();
    assert.equal(event.triggerSource, 'CustomMessage_ForgotPassword');
    assert.equal((event['callerContext'] as { clientId: string }).clientId, 'CLIENT_ID_NOT_APPLICABLE');
    assert.deepEqual(event.request['clientMetadata'], { by: 'operator' });
    const mail = await mailAfter(email, before);
    await c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: email, ConfirmationCode: mail.code!, Password: 'N3w-Passw0rd!' }));
  });

  it('AdminCreateUser and its RESEND: CustomMessage_AdminCreateUser with usernameParameter {username}; the name and temporary password are put in', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    const username = `invited${seq}`;
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: 'Temp-Passw0rd1',
        UserAttributes: attrs({ email }),
        DesiredDeliveryMediums: ['EMAIL'],
        ClientMetadata: { invite: 'first' },
      }),
    );
    const event = lastEvent();
    assert.equal(event.triggerSource, 'CustomMessage_AdminCreateUser');
    assert.equal(event.request['usernameParameter'], '{username}');
    assert.equal(event.request['codeParameter'], '{####}');
    assert.equal((event.request['userAttributes'] as Record<string, string>)['cognito:user_status'], 'FORCE_CHANGE_PASSWORD');
    assert.ok(!JSON.stringify(event).includes('Temp-Passw0rd1'));
    const first = await mailAfter(email, 0);
    assert.equal(first.subject, 'Subject of CustomMessage_AdminCreateUser');
    assert.match(first.text, new RegExp(`Mail of CustomMessage_AdminCreateUser for ${username}: code \\[Temp-Passw0rd1\\]`));

    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'RESEND',
        TemporaryPassword: 'Temp-Passw0rd2',
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    assert.equal(lastEvent().triggerSource, 'CustomMessage_AdminCreateUser');
    const second = await mailAfter(email, 1);
    assert.match(second.text, /code \[Temp-Passw0rd2\]/);
    assert.equal((await passwordSignIn(c, clientId, username, 'Temp-Passw0rd2')).ChallengeName, 'NEW_PASSWORD_REQUIRED');
  });

  it('an invitation by SMS and email: one CustomMessage_AdminCreateUser event, smsMessage in the outbox and emailMessage in the inbox', async () => {
    const { poolId } = await newPool({ pool: { SmsConfiguration: SMS_CONFIG } });
    const email = newEmail();
    const phone = `+1555050${String(1000 + seq)}`;
    const count = events().length;
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: `both${seq}`,
        TemporaryPassword: 'Temp-Passw0rd4',
        UserAttributes: attrs({ email, phone_number: phone }),
        DesiredDeliveryMediums: ['SMS', 'EMAIL'],
      }),
    );
    assert.equal(events().length, count + 1);
    const [text] = await c.deps.mailer.recent({ to: phone, limit: 1 });
    assert.equal(text!.body, `SMS of CustomMessage_AdminCreateUser for both${seq}: [Temp-Passw0rd4]`);
    assert.match((await nextMail(email)).text, new RegExp(`Mail of CustomMessage_AdminCreateUser for both${seq}: code \\[Temp-Passw0rd4\\]`));
  });

  it('UpdateUserAttributes and GetUserAttributeVerificationCode: CustomMessage_UpdateUserAttribute, CustomMessage_VerifyUserAttribute', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    await createConfirmedUser(c, poolId, email, { password: PASSWORD, attributes: attrs({ email, email_verified: 'true' }) });
    const token = (await passwordSignIn(c, clientId, email)).AuthenticationResult!.AccessToken!;
    const changed = newEmail();
    await c.anon.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: attrs({ email: changed }), ClientMetadata: { why: 'moved' } }));
    const update = lastEvent();
    assert.equal(update.triggerSource, 'CustomMessage_UpdateUserAttribute');
    assert.equal((update.request['userAttributes'] as Record<string, string>)['email'], changed);
    assert.deepEqual(update.request['clientMetadata'], { why: 'moved' });
    const first = await mailAfter(changed, 0);
    assert.equal(first.subject, 'Subject of CustomMessage_UpdateUserAttribute');

    await c.anon.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    assert.equal(lastEvent().triggerSource, 'CustomMessage_VerifyUserAttribute');
    const second = await mailAfter(changed, 1);
    assert.equal(second.subject, 'Subject of CustomMessage_VerifyUserAttribute');
    await c.anon.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: second.code! }));
  });

  it('sign-in codes: CustomMessage_Authentication for an EMAIL_OTP and an SMS MFA code', async () => {
    const { poolId, clientId } = await newPool({
      pool: { SmsConfiguration: SMS_CONFIG },
      mfa: { MfaConfiguration: 'ON', EmailMfaConfiguration: { Message: 'Template {####}', Subject: 'Template subject' } },
    });
    const email = newEmail();
    await createConfirmedUser(c, poolId, email, { password: PASSWORD, attributes: attrs({ email, email_verified: 'true' }) });
    const before = c.inbox.count(email);
    const challenge = await passwordSignIn(c, clientId, email);
    assert.equal(challenge.ChallengeName, 'EMAIL_OTP');
    assert.equal(lastEvent().triggerSource, 'CustomMessage_Authentication');
    const mail = await mailAfter(email, before);
    assert.equal(mail.subject, 'Subject of CustomMessage_Authentication');
    const done = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'EMAIL_OTP',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, EMAIL_OTP_CODE: mail.code! },
      }),
    );
    assert.ok(done.AuthenticationResult?.IdToken);

    const smsPool = await newPool({
      pool: { SmsConfiguration: SMS_CONFIG },
      mfa: { MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsAuthenticationMessage: 'Template {####}', SmsConfiguration: SMS_CONFIG } },
    });
    const phone = `+1555010${String(1000 + seq)}`;
    const name = `sms${seq}`;
    await createConfirmedUser(c, smsPool.poolId, name, { password: PASSWORD, attributes: attrs({ phone_number: phone, phone_number_verified: 'true' }) });
    const smsChallenge = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: smsPool.poolId,
        ClientId: smsPool.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: name, PASSWORD },
      }),
    );
    assert.equal(smsChallenge.ChallengeName, 'SMS_MFA');
    assert.equal(lastEvent().triggerSource, 'CustomMessage_Authentication');
    const text = await sms.nextMessage(phone);
    assert.match(text, /^SMS of CustomMessage_Authentication: \[\d{6}\]$/);
  });

  it('an SMS verification code (a phone-only pool) carries smsMessage into the outbox', async () => {
    const { clientId } = await newPool({ pool: { AutoVerifiedAttributes: ['phone_number'], SmsConfiguration: SMS_CONFIG } });
    const phone = `+1555020${String(1000 + ++seq)}`;
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: `p${seq}`, Password: PASSWORD, UserAttributes: attrs({ phone_number: phone }) }));
    assert.equal(lastEvent().triggerSource, 'CustomMessage_SignUp');
    const [message] = await c.deps.mailer.recent({ to: phone, limit: 1 });
    const code = /^SMS of CustomMessage_SignUp: \[(\d{6})\]$/.exec(message!.body)?.[1];
    assert.ok(code, message!.body);
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: `p${seq}`, ConfirmationCode: code }));
  });
});

describe('CustomMessage › a response without usable text keeps the template', () => {
  it('null fields (the function changed nothing): the pool template and subject', async () => {
    const { clientId } = await newPool({ pool: { VerificationMessageTemplate: { EmailMessage: 'Pool template {####}', EmailSubject: 'Pool subject' } } });
    const email = newEmail();
    await c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }), ClientMetadata: { mode: 'default' } }),
    );
    const mail = await nextMail(email);
    assert.equal(mail.subject, 'Pool subject');
    assert.match(mail.text, /Pool template \d{6}/);
  });

  it('a message without {####}: the template body goes instead; the subject is still the function’s', async () => {
    const { clientId } = await newPool({ pool: { VerificationMessageTemplate: { EmailMessage: 'Pool template {####}', EmailSubject: 'Pool subject' } } });
    const email = newEmail();
    await c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }), ClientMetadata: { mode: 'drop' } }),
    );
    const mail = await nextMail(email);
    assert.equal(mail.subject, 'Subject without a code');
    assert.match(mail.text, /Pool template (\d{6})/);
    assert.ok(!mail.text.includes('forgot the code'));
  });

  it('an invitation without {username}: the invitation template goes instead', async () => {
    const { poolId } = await newPool();
    const email = newEmail();
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: `nouser${seq}`,
        TemporaryPassword: 'Temp-Passw0rd3',
        UserAttributes: attrs({ email }),
        DesiredDeliveryMediums: ['EMAIL'],
        ClientMetadata: { mode: 'no-username' },
      }),
    );
    const mail = await nextMail(email);
    assert.match(mail.text, new RegExp(`Your username is nouser${seq} and temporary password is Temp-Passw0rd3`));
  });
});

describe('CustomMessage › failures fail the operation and write nothing', () => {
  it('the function throws: SignUp fails with UserLambdaValidationException, no user and no mail', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    await assert.rejects(
      c.anon.send(
        new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }), ClientMetadata: { mode: 'throw' } }),
      ),
      { name: 'UserLambdaValidationException', message: 'CustomMessage failed with error no messages today.' },
    );
    await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email })), { name: 'UserNotFoundException' });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(c.inbox.count(email), 0);
  });

  it('the function throws at AdminCreateUser: no user is created', async () => {
    const { poolId } = await newPool();
    const email = newEmail();
    await assert.rejects(
      c.admin.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: `t${seq}`,
          UserAttributes: attrs({ email }),
          DesiredDeliveryMediums: ['EMAIL'],
          ClientMetadata: { mode: 'throw' },
        }),
      ),
      { name: 'UserLambdaValidationException' },
    );
    await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `t${seq}` })), { name: 'UserNotFoundException' });
  });

  it('the function throws at AdminResetUserPassword: the status stays CONFIRMED', async () => {
    const { poolId } = await newPool();
    const email = newEmail();
    await createConfirmedUser(c, poolId, email, { attributes: attrs({ email, email_verified: 'true' }) });
    await assert.rejects(c.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: email, ClientMetadata: { mode: 'throw' } })), {
      name: 'UserLambdaValidationException',
    });
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus, 'CONFIRMED');
  });

  it('an output that is not an event, or a message that is not a string: InvalidLambdaResponseException', async () => {
    const { clientId } = await newPool();
    for (const mode of ['garbage', 'wrong-type']) {
      const email = newEmail();
      await assert.rejects(
        c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }), ClientMetadata: { mode } })),
        { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' },
      );
    }
  });

  it('a pool whose CustomMessage function is removed sends the template again', async () => {
    const { poolId, clientId } = await newPool();
    await c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, AutoVerifiedAttributes: ['email'], LambdaConfig: {} }));
    const count = events().length;
    const email = newEmail();
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }) }));
    assert.equal(events().length, count);
    assert.match((await nextMail(email)).text, /Your verification code is \d{6}/);
  });
});
