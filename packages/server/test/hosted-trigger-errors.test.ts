import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { authorization, type HostedWorld, type OAuthApp, oauthApp, startHostedWorld } from './helpers/hosted.ts';
import { createPool } from './helpers/pools.ts';
import { TriggerFunctions } from './helpers/trigger-functions.ts';

// A Lambda trigger that refuses shows its own words on the managed-login
// pages, above the form, as Cognito's pages show them: in a real Chromium,
// checked with axe-core, screenshots kept to be looked at.

const PASSWORD = 'Hz5!wQ8#rNt3';

describe('Managed-login pages show a refusing trigger function its message', () => {
  const functions = new TriggerFunctions().scripted('pre-auth', 'pre-sign-up');
  let w: HostedWorld;
  let app: OAuthApp;
  let poolId: string;

  before(async () => {
    w = await startHostedWorld({ functionsFile: functions.functionsFile });
    poolId = await createPool(w.c, { LambdaConfig: { PreAuthentication: functions.arn('pre-auth'), PreSignUp: functions.arn('pre-sign-up') } });
    app = await oauthApp(w, poolId);
    await w.c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'grace', MessageAction: 'SUPPRESS' }));
    await w.c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'grace', Password: PASSWORD, Permanent: true }));
  });
  after(async () => {
    await w.close();
    functions.cleanup();
  });

  it('sign-in: the pre authentication function refuses, its words above the form, the user still on the sign-in page', async () => {
    functions.plan('pre-auth', { throw: 'Sign-in is paused for maintenance until 10:00' });
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(app, w.callback)).url.href);
    await page.getByLabel('Username').fill('grace');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /PreAuthentication failed with error Sign-in is paused for maintenance until 10:00\./);
    assert.ok(await page.getByLabel('Password').isVisible(), 'the sign-in form is still there to try again');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in-trigger-refused');
    await context.close();
  });

  it('sign-up: the pre sign-up function refuses, its words above the form, no user created', async () => {
    functions.plan('pre-sign-up', { throw: 'Registrations from this domain are not accepted' });
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(app, w.callback)).url.href);
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Username').fill('mallory');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /PreSignUp failed with error Registrations from this domain are not accepted\./);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-up-trigger-refused');
    const { Users } = await w.c.admin.send(new ListUsersCommand({ UserPoolId: poolId }));
    assert.deepEqual(
      Users?.map((u) => u.Username),
      ['grace'],
      'the refused sign-up created no user',
    );
    await context.close();
  });
});
