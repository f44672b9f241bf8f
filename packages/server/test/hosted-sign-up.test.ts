import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { alertText, authorization, finishAtCallback, type HostedWorld, type OAuthApp, oauthApp, startHostedWorld } from './helpers/hosted.ts';
import { createPool } from './helpers/pools.ts';
import { otherCode } from './helpers/totp.ts';

// Sign-up on the managed-login pages, as a new user meets it: the form the
// pool's schema and password policy shape, the mailed code (from a real SMTP
// inbox), the confirmation, signing in, and the app's code exchanged by
// openid-client.

const PASSWORD = 'Fj4!rT9#kq2Wz';

describe('Managed-login sign-up', () => {
  let w: HostedWorld;
  let app: OAuthApp;
  let closedApp: OAuthApp;

  before(async () => {
    w = await startHostedWorld();
    const poolId = await createPool(w.c, {
      AutoVerifiedAttributes: ['email'],
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
      ],
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
    app = await oauthApp(w, poolId);
    const closedPool = await createPool(w.c, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    closedApp = await oauthApp(w, closedPool);
  });
  after(() => w.close());

  it('signs up from the sign-in page, confirms with the mailed code (a wrong one refused, a new one sent), signs in and reaches the app', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback);
    await page.goto(auth.url.href);
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL(/\/signup\?/);
    assert.equal(new URL(page.url()).searchParams.get('state'), auth.state, 'the link carries the authorization request');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-up');
    assert.equal(await page.getByLabel('Email address').getAttribute('type'), 'email');
    assert.equal(await page.getByLabel('Full name').getAttribute('autocomplete'), 'name');
    const rules = (await page.locator('#password-rules').textContent()) ?? '';
    assert.match(rules, /at least 10 characters/);
    assert.match(rules, /a symbol/);

    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Email address').fill('carol@example.com');
    await page.getByLabel('Full name').fill('Carol <b>Tester</b>');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await alertText(page), 'That password does not meet the requirements. It is too short.');
    assert.equal(await page.getByLabel('Full name').inputValue(), 'Carol <b>Tester</b>', 'kept, and escaped');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is never sent back');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-up-weak-password');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByLabel('Confirmation code').waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /We sent a code to c\*\*\*@e\*\*\*/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'confirm-sign-up');
    const first = await w.c.inbox.nextCode('carol@example.com');

    await page.getByLabel('Confirmation code').fill(otherCode(first));
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await alertText(page), 'That code is not right. Try again.');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'confirm-sign-up-wrong-code');

    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.getByRole('status').waitFor();
    const second = await w.c.inbox.nextCode('carol@example.com');
    await page.getByLabel('Confirmation code').fill(second);
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.getByRole('status').filter({ hasText: 'Your account is confirmed' }).waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'carol');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in-after-confirmation');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const tokens = await finishAtCallback(page, w, app, auth);
    const claims = tokens.claims();
    assert.equal(claims?.['cognito:username'], 'carol');
    assert.equal(claims?.['email'], 'carol@example.com');
    assert.equal(claims?.['email_verified'], true);
    await context.close();
  });

  it('refuses a username that is taken and a missing field, keeping the user on the form', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(app, w.callback, { lang: 'fr' });
    await page.goto(auth.url.href);
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByLabel("Nom d'utilisateur").fill('carol');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await alertText(page), 'Remplissez tous les champs.');
    await page.getByLabel('Adresse e-mail').fill('other@example.com');
    await page.getByLabel('Nom complet').fill('Other');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByRole('alert').filter({ hasText: 'existe déjà' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-up-taken-fr');
    await context.close();
  });

  it('offers no sign-up where only administrators create users: no link, and /signup answers an error page', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const auth = await authorization(closedApp, w.callback);
    await page.goto(auth.url.href);
    assert.equal(await page.getByRole('link', { name: 'Sign up' }).count(), 0);
    const response = await page.goto(auth.url.href.replace('/oauth2/authorize', '/signup'));
    assert.equal(response?.status(), 403);
    assert.match((await alertText(page)) ?? '', /Sign-up is not available/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-up-closed');
    await context.close();
  });
});
