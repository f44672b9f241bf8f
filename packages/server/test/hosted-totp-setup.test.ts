import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { alertText, authorization, finishAtCallback, type HostedWorld, type OAuthApp, oauthApp, startHostedWorld } from './helpers/hosted.ts';
import { createConfirmedUser, createPool } from './helpers/pools.ts';
import { otherCode, totpCode } from './helpers/totp.ts';

// MFA_SETUP on the managed-login pages: the pool requires MFA, the user has
// no factor, so signing in shows an authenticator app's secret (QR code and
// text); its first code turns the factor on and finishes the sign-in.

const PASSWORD = 'Tq8#Lm2!pWx5';

describe('Managed-login authenticator app setup (MFA_SETUP)', () => {
  let w: HostedWorld;
  let app: OAuthApp;

  before(async () => {
    w = await startHostedWorld();
    const poolId = await createPool(w.c, { PoolName: 'Acme Pool' });
    await w.c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    app = await oauthApp(w, poolId);
    await createConfirmedUser(w.c, poolId, 'dave', { password: PASSWORD });
  });
  after(() => w.close());

  it('shows the secret as a QR code and text, refuses a wrong code keeping the same secret, and signs in with a right one; the next sign-in asks for a code', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback);
    await page.goto(auth.url.href);
    await page.getByLabel('Username').fill('dave');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Set up an authenticator app' }).waitFor();
    const qr = page.getByRole('img', { name: /QR code/ });
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    assert.ok(((await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)) ?? 0) > 0, 'the QR code renders under the CSP');
    const secret = ((await page.locator('#secret').textContent()) ?? '').replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'totp-setup');

    await page.getByLabel('Code from the app').fill(otherCode(totpCode(secret, Date.now())));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await alertText(page), 'That code is not right. Try again.');
    assert.equal(((await page.locator('#secret').textContent()) ?? '').replace(/\s/g, ''), secret, 'the same secret: the app already holds it');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'totp-setup-wrong-code');

    await page.getByLabel('Code from the app').fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    const tokens = await finishAtCallback(page, w, app, auth);
    assert.equal(tokens.claims()?.['cognito:username'], 'dave');
    await context.close();

    const again = await w.browser.newContext();
    const second = await again.newPage();
    const next = await authorization(app, w.callback);
    await second.goto(next.url.href);
    await second.getByLabel('Username').fill('dave');
    await second.getByLabel('Password').fill(PASSWORD);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.getByText('Enter the code from your authenticator app.').waitFor();
    // The setup used this step's code: the next step's is the one a user would type.
    await second.getByLabel('Code').fill(totpCode(secret, Date.now() + 30_000));
    await second.getByRole('button', { name: 'Continue' }).click();
    await finishAtCallback(second, w, app, next);
    await again.close();
  });
});
