import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { alertText, authorization, finishAtCallback, type HostedWorld, oauthApp, type OAuthApp, startHostedWorld } from './helpers/hosted.ts';
import { attrs, createConfirmedUser, createPool } from './helpers/pools.ts';

// Choice-based sign-in on the managed-login page: a pool whose first factors
// include EMAIL_OTP and a client allowing ALLOW_USER_AUTH get an "Email me a
// sign-in code" button beside the password; the mailed code signs the user in
// and the app gets its authorization code. Without ALLOW_USER_AUTH the page
// offers the password only.

describe('managed-login page: passwordless sign-in with an emailed code', () => {
  let w: HostedWorld;
  let poolId: string;
  let app: OAuthApp;
  let passwordOnly: OAuthApp;

  before(async () => {
    w = await startHostedWorld();
    poolId = await createPool(w.c, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } });
    app = await oauthApp(w, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    passwordOnly = await oauthApp(w, poolId);
    await createConfirmedUser(w.c, poolId, 'gina', { attributes: attrs({ email: 'gina@example.com', email_verified: 'true' }) });
    await createConfirmedUser(w.c, poolId, 'hank', { attributes: attrs({ email: 'hank@example.com' }) });
  });

  after(async () => w.close());

  it('signs in with the code mailed to the verified address', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback);
    await page.goto(auth.url.href);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in-with-code-choice');
    await page.getByLabel('Username').fill('gina');
    await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
    await page.getByLabel('Code').waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /by email/);
    await screenshot(page, 'sign-in-email-code');
    await page.getByLabel('Code').fill(await w.c.inbox.nextCode('gina@example.com'));
    await page.getByRole('button', { name: 'Continue' }).click();
    const tokens = await finishAtCallback(page, w, app, auth);
    assert.equal(tokens.claims()?.['cognito:username'], 'gina');
    await context.close();
  });

  it('says a code cannot be sent to an account without a verified address, and keeps the password way open', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(app, w.callback)).url.href);
    await page.getByLabel('Username').fill('hank');
    await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await alertText(page), 'A code cannot be sent to this account. Sign in with your password.');
    assert.equal(await page.getByLabel('Username').inputValue(), 'hank');
    await context.close();
  });

  it('offers only the password to a client without ALLOW_USER_AUTH', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(passwordOnly, w.callback)).url.href);
    await page.getByLabel('Password').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Email me a sign-in code' }).count(), 0);
    await context.close();
  });
});
