import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { alertText, authorization, finishAtCallback, type HostedWorld, type OAuthApp, oauthApp, startHostedWorld } from './helpers/hosted.ts';
import { attrs, createConfirmedUser, createPool } from './helpers/pools.ts';
import { otherCode } from './helpers/totp.ts';

// A forgotten password on the managed-login pages: the link from the
// sign-in form, the code mailed to the verified address, a new password
// that meets the policy, then signing in with it. With
// PreventUserExistenceErrors ENABLED an unknown name meets the same pages.

const OLD = 'Old-Passw0rd!x';
const NEW = 'New-Passw0rd!y';

describe('Managed-login password recovery', () => {
  let w: HostedWorld;
  let app: OAuthApp;

  before(async () => {
    w = await startHostedWorld();
    const poolId = await createPool(w.c, {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true, RequireSymbols: true, RequireUppercase: true, RequireLowercase: true } },
    });
    app = await oauthApp(w, poolId, { PreventUserExistenceErrors: 'ENABLED' });
    await createConfirmedUser(w.c, poolId, 'erin', { password: OLD, attributes: attrs({ email: 'erin@example.com', email_verified: 'true' }) });
  });
  after(() => w.close());

  it('resets the password with the mailed code (a weak password and a wrong code refused) and signs in with the new one', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback);
    await page.goto(auth.url.href);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(/\/forgotPassword\?/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'forgot-password');
    await page.getByLabel('Username').fill('erin');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('New password').waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /We sent a code to e\*\*\*@e\*\*\*/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'reset-password');
    const code = await w.c.inbox.nextCode('erin@example.com');

    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByLabel('New password').fill('weakpassword');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').waitFor();
    assert.match((await alertText(page)) ?? '', /^That password does not meet the requirements\. It needs an uppercase letter\.$/);
    assert.equal(await page.getByLabel('Code', { exact: true }).inputValue(), code, 'only the password was refused: the code stays');
    assert.match((await page.locator('main').textContent()) ?? '', /We sent a code to e\*\*\*@e\*\*\*/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'reset-password-weak');

    await page.getByLabel('Code', { exact: true }).fill(otherCode(code));
    await page.getByLabel('New password').fill(NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();

    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByLabel('New password').fill(NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password has been changed' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in-after-reset');
    await page.getByLabel('Password').fill(NEW);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const tokens = await finishAtCallback(page, w, app, auth);
    assert.equal(tokens.claims()?.['cognito:username'], 'erin');
    await context.close();
  });

  it('answers an unknown username exactly as a known one, with PreventUserExistenceErrors ENABLED', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback);
    await page.goto(auth.url.href.replace('/oauth2/authorize', '/forgotpassword'));
    await page.getByLabel('Username').fill('nobody-here');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('New password').waitFor();
    assert.equal(await alertText(page), null, 'no error: nothing says the account is missing');
    assert.match((await page.locator('main').textContent()) ?? '', /We sent a code to /);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'reset-password-unknown-user');
    await page.getByLabel('Code', { exact: true }).fill('123456');
    await page.getByLabel('New password').fill(NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await alertText(page), 'That code is not right. Try again.', 'the answer a real account gets for a wrong code');
    await context.close();
  });
});
