import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createPool, PASSWORD } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// ResendConfirmationCode for an account already confirmed: Cognito answers
// InvalidParameterException "User is already confirmed.", which tells anyone
// holding the (public) client ID that the account exists. With
// --hide-confirmed-accounts and PreventUserExistenceErrors ENABLED Cognate
// answers it as an unknown name (issue 20, beyond Cognito): the same
// simulated delivery, the same hourly cap, no message. LEGACY, and every
// client while the flag is off (the default), keep Cognito's answer.

const clock = new FakeClock(Date.now());
let c: Running;
let poolId: string;
let hiding: string;
let legacy: string;
let seq = 0;

const limit = { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' };
const mailsTo = async (to: string) => (await c.deps.mailer.recent({ to, limit: 50 })).length;
const resend = (clientId: string, name: string) => c.anon.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: name }));

/** A user who signed up through `clientId` and confirmed with the mailed code: status CONFIRMED. */
async function confirmed(clientId: string): Promise<string> {
  const email = `confirmed-${++seq}@example.com`;
  await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await c.inbox.nextCode(email) }));
  return email;
}

/** A user an administrator created without a message: status FORCE_CHANGE_PASSWORD, not UNCONFIRMED either. */
async function adminCreated(): Promise<string> {
  const email = `created-${++seq}@example.com`;
  await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }));
  return email;
}

describe('ResendConfirmationCode for a confirmed account', () => {
  before(async () => {
    c = await startCognate({ clock, config: { hideConfirmedAccounts: true } });
    poolId = await createPool(c, { PoolName: 'confirmed', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    const client = async (mode: 'ENABLED' | 'LEGACY') =>
      (
        await c.admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: mode,
            PreventUserExistenceErrors: mode,
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
          }),
        )
      ).UserPoolClient!.ClientId!;
    hiding = await client('ENABLED');
    legacy = await client('LEGACY');
  });
  after(() => c.stop());

  it('ENABLED › answers exactly as for the same name once the account is gone, and mails nothing', async () => {
    for (const name of [await confirmed(hiding), await adminCreated()]) {
      const mails = await mailsTo(name);
      const existing = await resend(hiding, name);
      assert.equal(await mailsTo(name), mails, `no message to ${name}`);
      await c.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: name }));
      const unknown = await resend(hiding, name);
      assert.deepEqual(existing.CodeDeliveryDetails, unknown.CodeDeliveryDetails);
      assert.equal(existing.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      assert.equal(existing.CodeDeliveryDetails?.AttributeName, 'email');
      assert.deepEqual(Object.keys(existing).sort(), Object.keys(unknown).sort(), 'the same response members');
    }
  });

  it('ENABLED › the sixth request in an hour is refused, as for an unknown name', async () => {
    for (const name of [await confirmed(hiding), `nobody-${++seq}@example.com`]) {
      for (let i = 0; i < 5; i++) assert.ok((await resend(hiding, name)).CodeDeliveryDetails, `request ${i + 1} for ${name}`);
      await assert.rejects(resend(hiding, name), limit, `the sixth for ${name}`);
    }
  });

  it('ENABLED › an unconfirmed account still gets a real code', async () => {
    const email = `unconfirmed-${++seq}@example.com`;
    await c.anon.send(new SignUpCommand({ ClientId: hiding, Username: email, Password: PASSWORD }));
    await c.inbox.nextCode(email);
    assert.equal((await resend(hiding, email)).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.match(await c.inbox.nextCode(email), /^\d{6}$/);
  });

  it('LEGACY › InvalidParameterException "User is already confirmed.", as Cognito answers', async () => {
    for (const name of [await confirmed(legacy), await adminCreated()]) {
      await assert.rejects(resend(legacy, name), { name: 'InvalidParameterException', message: 'User is already confirmed.' });
    }
  });
});

describe('ResendConfirmationCode for a confirmed account, --hide-confirmed-accounts off (the default)', () => {
  it('ENABLED › InvalidParameterException "User is already confirmed.", as Cognito answers', async () => {
    const d = await startCognate({ clock });
    try {
      const pool = await createPool(d, { PoolName: 'default', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
      const created = await d.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool,
          ClientName: 'hiding',
          PreventUserExistenceErrors: 'ENABLED',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        }),
      );
      const clientId = created.UserPoolClient!.ClientId!;
      const email = 'confirmed-default@example.com';
      await d.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
      await d.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await d.inbox.nextCode(email) }));
      await assert.rejects(d.anon.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email })), {
        name: 'InvalidParameterException',
        message: 'User is already confirmed.',
      });
    } finally {
      await d.stop();
    }
  });
});
