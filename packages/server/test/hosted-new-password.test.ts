import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { alertText, authorization, finishAtCallback, type HostedWorld, oauthApp, type OAuthApp, startHostedWorld } from './helpers/hosted.ts';
import { createPool } from './helpers/pools.ts';

// An invited user (FORCE_CHANGE_PASSWORD) signs in on the page with the
// temporary password, chooses a new one, and gives the required attributes
// the invitation lacked (the challenge's requiredAttributes), all on one
// page; the app gets its code.

const TEMPORARY = 'Tmp#Pass-4821x';
const NEW_PASSWORD = 'Kx7#mQ2!vLp9-zR';

describe('managed-login page: a new password, with the required attributes still missing', () => {
  let w: HostedWorld;
  let poolId: string;
  let app: OAuthApp;

  before(async () => {
    w = await startHostedWorld();
    poolId = await createPool(w.c, { Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }] });
    app = await oauthApp(w, poolId);
    await w.c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'lena', TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' }));
  });

  after(async () => w.close());

  it('asks for the new password and the missing name, and signs the user in with both', async () => {
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
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').waitFor();
    assert.notEqual(await alertText(page), null, 'without the required name the page says so');
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByLabel('Full name').fill('Lena Lind');
    await page.getByRole('button', { name: 'Set password' }).click();
    const tokens = await finishAtCallback(page, w, app, auth);
    assert.equal(tokens.claims()?.['cognito:username'], 'lena');
    const user = await w.c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lena' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'name')?.Value, 'Lena Lind');
    await context.close();
  });
});
