import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { attrs, createConfirmedUser, createPoolAndClient, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { arnOf, TriggerFunctions } from './helpers/trigger-functions.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { SMS_CONFIG, startSmsWebhook, type SmsWebhook } from './helpers/sms.ts';

// CustomEmailSender and CustomSMSSender with the raw AES keyring
// (--custom-sender-key-file): Cognate sends nothing itself and hands the
// function the code encrypted with the AWS Encryption SDK; a real handler
// decrypts it with @aws-crypto/client-node's RawAesKeyringNode and records
// the plaintext, and the test uses that code.

const clientNode = pathToFileURL(createRequire(import.meta.url).resolve('@aws-crypto/client-node')).href;

/** A sender that decrypts the code with the shared key and records the event and the plaintext. */
const senderSource = (keyFile: string) => `
import clientNode from ${JSON.stringify(clientNode)};
import { readFileSync } from 'node:fs';
const { buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } = clientNode;
const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
const keyring = new RawAesKeyringNode({
  keyNamespace: 'cognate',
  keyName: 'custom-sender',
  unencryptedMasterKey: new Uint8Array(Buffer.from(readFileSync(${JSON.stringify(keyFile)}, 'utf8').trim(), 'base64')),
  wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
});
export const handler = async (event) => {
  const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
  RECORD({ event, plaintext: Buffer.from(plaintext).toString('utf8'), encryptionContext: messageHeader.encryptionContext });
  if (event.request.clientMetadata?.mode === 'throw') throw new Error('provider down');
};`;

const MESSAGE_HANDLER = `export const handler = async (event) => { RECORD(event); return event; };`;

interface SenderRecord {
  event: {
    triggerSource: string;
    request: { type: string; code: string; clientMetadata?: Record<string, string>; userAttributes: Record<string, string> };
  } & Record<string, unknown>;
  plaintext: string;
  encryptionContext: Record<string, string>;
}

const WEBHOOK_SECRET = 'custom-sender-webhook';
let c: Running;
let fns: TriggerFunctions;
let sms: SmsWebhook;
let seq = 0;
let keyDir: string;

/** The next value `name` records (it runs after the operation answered). */
async function nextSend(name: 'email-sender' | 'sms-sender'): Promise<SenderRecord> {
  const got = await fns.waitForEvents<SenderRecord>(name, ++seen[name]);
  return got.at(-1)!;
}
const seen = { 'email-sender': 0, 'sms-sender': 0 };

const SENDERS = {
  CustomEmailSender: { LambdaArn: arnOf('email-sender'), LambdaVersion: 'V1_0' as const },
  CustomSMSSender: { LambdaArn: arnOf('sms-sender'), LambdaVersion: 'V1_0' as const },
  KMSKeyID: 'arn:aws:kms:us-east-1:123456789012:key/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
};

async function newPool(extra: Parameters<typeof createPoolAndClient>[1] = {}) {
  return createPoolAndClient(c, { ...extra, pool: { AutoVerifiedAttributes: ['email'], LambdaConfig: SENDERS, ...extra.pool } });
}

const newEmail = () => `sender${++seq}@example.com`;

before(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'cognate-sender-key-'));
  const keyFile = join(keyDir, 'sender.key');
  writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  fns = new TriggerFunctions()
    .module('email-sender', senderSource(keyFile))
    .module('sms-sender', senderSource(keyFile))
    .module('custom-message', MESSAGE_HANDLER);
  sms = await startSmsWebhook(WEBHOOK_SECRET);
  c = await startCognate({
    config: { functionsFile: fns.functionsFile, customSenderKeyFile: keyFile, smsWebhookUrl: sms.url, smsWebhookSecret: WEBHOOK_SECRET },
  });
});
after(async () => {
  await c.stop();
  await sms.close();
  fns.cleanup();
  rmSync(keyDir, { recursive: true, force: true });
});

describe('CustomEmailSender › Cognate sends no mail and hands the function the encrypted code', () => {
  it('SignUp: CustomEmailSender_SignUp with type, code, clientMetadata and userAttributes; the decrypted code confirms the user', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    const out = await c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }), ClientMetadata: { app: 'web' } }),
    );
    assert.equal(out.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    const { event, plaintext, encryptionContext } = await nextSend('email-sender');
    assert.deepEqual(Object.keys(event).sort(), ['callerContext', 'region', 'request', 'triggerSource', 'userName', 'userPoolId', 'version']);
    assert.equal(event['version'], '1');
    assert.equal(event.triggerSource, 'CustomEmailSender_SignUp');
    assert.equal(event['userPoolId'], poolId);
    assert.equal(event['userName'], email);
    assert.equal((event['callerContext'] as { clientId: string }).clientId, clientId);
    assert.deepEqual(Object.keys(event.request), ['type', 'code', 'clientMetadata', 'userAttributes']);
    assert.equal(event.request.type, 'customEmailSenderRequestV1');
    assert.match(event.request.code, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(event.request.clientMetadata, { app: 'web' });
    assert.deepEqual(event.request.userAttributes, { sub: out.UserSub, email, 'cognito:user_status': 'UNCONFIRMED' });
    assert.match(plaintext, /^\d{6}$/);
    assert.equal(encryptionContext['userpool-id'], poolId);

    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: plaintext }));
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus, 'CONFIRMED');
    assert.deepEqual(await c.deps.mailer.recent({ to: email, limit: 5 }), [], 'nothing reaches the outbox or SMTP');
    assert.equal(c.inbox.count(email), 0);
  });

  it('ForgotPassword: CustomEmailSender_ForgotPassword; the code resets the password', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    await createConfirmedUser(c, poolId, email, { attributes: attrs({ email, email_verified: 'true' }) });
    await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    const { event, plaintext } = await nextSend('email-sender');
    assert.equal(event.triggerSource, 'CustomEmailSender_ForgotPassword');
    assert.ok(!('clientMetadata' in event.request));
    await c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: email, ConfirmationCode: plaintext, Password: 'N3w-Passw0rd!' }));
    assert.ok((await passwordSignIn(c, clientId, email, 'N3w-Passw0rd!')).AuthenticationResult);
  });

  it('AdminCreateUser: CustomEmailSender_AdminCreateUser with the temporary password, HTML-escaped before encryption', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: `inv${seq}`,
        TemporaryPassword: 'Tmp&<Passw0rd',
        UserAttributes: attrs({ email }),
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const { event, plaintext } = await nextSend('email-sender');
    assert.equal(event.triggerSource, 'CustomEmailSender_AdminCreateUser');
    assert.equal((event['callerContext'] as { clientId: string }).clientId, 'CLIENT_ID_NOT_APPLICABLE');
    assert.equal(plaintext, 'Tmp&amp;&lt;Passw0rd');
    assert.equal((await passwordSignIn(c, clientId, `inv${seq}`, 'Tmp&<Passw0rd')).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(c.inbox.count(email), 0);
  });

  it('the sender is asynchronous: its failure does not fail the operation, which has committed', async () => {
    const { poolId, clientId } = await newPool();
    const email = newEmail();
    await c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }), ClientMetadata: { mode: 'throw' } }),
    );
    await nextSend('email-sender');
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus, 'UNCONFIRMED');
  });

  it('with a custom email sender, CustomMessage is not asked for email texts', async () => {
    const { clientId } = await newPool({ pool: { LambdaConfig: { ...SENDERS, CustomMessage: arnOf('custom-message') } } });
    const email = newEmail();
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }) }));
    await nextSend('email-sender');
    assert.deepEqual(fns.events('custom-message'), []);
  });
});

describe('CustomSMSSender › Cognate sends no SMS and hands the function the encrypted code', () => {
  it('SignUp by phone: CustomSMSSender_SignUp, customSMSSenderRequestV1; nothing in the outbox', async () => {
    const { clientId } = await newPool({ pool: { AutoVerifiedAttributes: ['phone_number'], SmsConfiguration: SMS_CONFIG } });
    const phone = `+1555030${String(1000 + ++seq)}`;
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: `ph${seq}`, Password: PASSWORD, UserAttributes: attrs({ phone_number: phone }) }));
    const { event, plaintext } = await nextSend('sms-sender');
    assert.equal(event.triggerSource, 'CustomSMSSender_SignUp');
    assert.equal(event.request.type, 'customSMSSenderRequestV1');
    assert.equal(event.request.userAttributes['phone_number'], phone);
    assert.deepEqual(await c.deps.mailer.recent({ to: phone, limit: 5 }), []);
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: `ph${seq}`, ConfirmationCode: plaintext }));
  });

  it('SMS MFA: CustomSMSSender_Authentication instead of the SMS webhook; the code completes the sign-in', async () => {
    const { poolId, clientId } = await newPool({
      pool: { SmsConfiguration: SMS_CONFIG },
      mfa: { MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIG } },
    });
    const phone = `+1555040${String(1000 + ++seq)}`;
    const name = `mfa${seq}`;
    await createConfirmedUser(c, poolId, name, { password: PASSWORD, attributes: attrs({ phone_number: phone, phone_number_verified: 'true' }) });
    const challenge = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: name, PASSWORD },
      }),
    );
    assert.equal(challenge.ChallengeName, 'SMS_MFA');
    const { event, plaintext } = await nextSend('sms-sender');
    assert.equal(event.triggerSource, 'CustomSMSSender_Authentication');
    const done = await c.admin.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'SMS_MFA',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: name, SMS_MFA_CODE: plaintext },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    await assert.rejects(sms.nextMessage(phone, 300), /no SMS/);
  });
});
