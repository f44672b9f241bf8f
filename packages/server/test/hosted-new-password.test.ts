import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { alertText, authorization, finishAtCallback, type HostedWorld, oauthApp, type OAuthApp, startHostedWorld } from './helpers/hosted.ts';
import { createPool } from './helpers/pools.ts';

// An invited user (FORCE_CHANGE_PASSWORD) signs in on the page with the
// temporary password and chooses a new one; a password the policy refuses
// keeps them on the page with the reason; the app gets its code. (The page
// also asks for required attributes a challenge lists as missing; Cognate's
// AdminCreateUser refuses a user without them, so none is missing here.)

const TEMPORARY = 'Tmp#Pass-4821x';
const NEW_PASSWORD = 'Kx7#mQ2!vLp9-zR';

describe('managed-login page: a new password for an invited user', () => {
  let w: HostedWorld;
  let poolId: string;
  let app: OAuthApp;

  before(async () => {
    w = await startHostedWorld();
    poolId = await createPool(w.c);
    app = await oauthApp(w, poolId);
    await w.c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'lena', TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' }));
  });

  after(async () => w.close());

  it('asks for a new password, refuses a weak one with the reason, and signs the user in with a good one', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback);
    await page.goto(auth.url.href);
    await page.getByLabel('Username').fill('lena');
    await page.getByLabel('Password').fill(TEMPORARY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'new-password-required');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').waitFor();
    assert.match((await alertText(page)) ?? '', /password/i);
    await screenshot(page, 'new-password-weak');
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    const tokens = await finishAtCallback(page, w, app, auth);
    assert.equal(tokens.claims()?.['cognito:username'], 'lena');
    const user = await w.c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lena' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    await context.close();
  });
});
