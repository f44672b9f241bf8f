import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { authorization, finishAtCallback, type HostedWorld, type OAuthApp, oauthApp, startHostedWorld } from './helpers/hosted.ts';
import { attrs, createClient, createPool } from './helpers/pools.ts';

// A user who signed up through the API but never confirmed signs in on the
// pages: the right password leads to the confirmation page with a fresh
// code (as Cognito's pages do), then to signing in.

const PASSWORD = 'Hz5!wQ8#rNt3';

describe('Managed-login sign-in of an unconfirmed user', () => {
  let w: HostedWorld;
  let app: OAuthApp;

  before(async () => {
    w = await startHostedWorld();
    const poolId = await createPool(w.c, { AutoVerifiedAttributes: ['email'] });
    app = await oauthApp(w, poolId);
    const { clientId } = await createClient(w.c, poolId);
    await w.c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: 'frank', Password: PASSWORD, UserAttributes: attrs({ email: 'frank@example.com' }) }),
    );
    await w.c.inbox.nextCode('frank@example.com');
  });
  after(() => w.close());

  it('takes the user to the confirmation page with a new code, then to signing in', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback);
    await page.goto(auth.url.href);
    await page.getByLabel('Username').fill('frank');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Confirmation code').waitFor();
    assert.match((await page.getByRole('status').textContent()) ?? '', /not confirmed yet/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'confirm-after-unconfirmed-sign-in');
    await page.getByLabel('Confirmation code').fill(await w.c.inbox.nextCode('frank@example.com'));
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.getByRole('status').filter({ hasText: 'Your account is confirmed' }).waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const tokens = await finishAtCallback(page, w, app, auth);
    assert.equal(tokens.claims()?.['cognito:username'], 'frank');
    await context.close();
  });
});
