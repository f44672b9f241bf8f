import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, seriousViolations } from './helpers/browser.ts';
import { authorization } from './helpers/hosted.ts';
import { attrs, createClient, createConfirmedUser, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { totpCode } from './helpers/totp.ts';

// The authorization code flow with PKCE as a web app runs it: openid-client
// discovers the pool, builds the authorization URL, a real Chromium signs in
// on the managed-login pages, and openid-client exchanges the code, reads
// userInfo, refreshes and revokes. Every page is checked with axe-core and
// photographed (packages/server/screenshots).

const PASSWORD = 'Kx7#mQ2!vLp9-zR';

describe('OAuth authorization code flow through the managed-login pages', () => {
  let c: Running;
  let browser: Browser;
  let poolId: string;
  let clientId: string;
  let secret: string;
  let config: oidc.Configuration;
  let app: Server;
  // The app the client belongs to: a real server (only its callback and signed-out pages), on a port known once it listens.
  let CALLBACK: string;
  let SIGNED_OUT: string;

  before(async () => {
    app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><p>app</p>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const APP = `http://localhost:${(app.address() as AddressInfo).port}`;
    CALLBACK = `${APP}/callback`;
    SIGNED_OUT = `${APP}/signed-out`;
    c = await startCognate();
    poolId = await createPool(c, { MfaConfiguration: 'OPTIONAL' });
    await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const created = await createClient(c, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [CALLBACK],
      LogoutURLs: [SIGNED_OUT],
      SupportedIdentityProviders: ['COGNITO'],
    });
    clientId = created.clientId;
    secret = created.secret!;
    await createConfirmedUser(c, poolId, 'alice', {
      password: PASSWORD,
      attributes: attrs({ email: 'alice@example.com', email_verified: 'true', name: 'Alice' }),
    });
    config = await oidc.discovery(new URL(`${c.url}/${poolId}`), clientId, secret, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await c.stop();
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
  });

  const appContext = (): Promise<BrowserContext> => browser.newContext();

  const authorizationUrl = (extra: Record<string, string> = {}) => authorization({ clientId, config }, CALLBACK, extra);

  async function signInOnPage(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs in on the page and exchanges the code (PKCE, nonce, at_hash) for tokens openid-client accepts; userInfo, refresh and revocation work', async () => {
    const context = await appContext();
    const page = await context.newPage();
    const { url, verifier, state, nonce } = await authorizationUrl();
    await page.goto(url.href);
    assert.match(page.url(), /\/login\?/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in');
    const headers = (await page.request.get(page.url())).headers();
    assert.match(headers['content-security-policy'] ?? '', /default-src 'none'/);
    assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);

    await signInOnPage(page, 'alice', PASSWORD);
    await page.waitForURL(`${CALLBACK}?**`);
    const callback = new URL(page.url());
    assert.equal(callback.searchParams.get('state'), state);

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.nonce, nonce);
    assert.equal(claims['email'], 'alice@example.com');
    assert.equal(typeof claims['at_hash'], 'string');
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.refresh_token);
    const access = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as { scope: string; client_id: string };
    assert.equal(access.scope, 'openid email');
    assert.equal(access.client_id, clientId);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info['email'], 'alice@example.com');
    assert.equal(info['email_verified'], 'true', 'a string in userInfo, as Cognito answers');
    assert.equal(info['username'], 'alice');
    assert.equal(info['name'], undefined, 'name needs the profile scope');

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.access_token);
    assert.ok(refreshed.id_token);
    assert.equal(refreshed.refresh_token, undefined, 'no rotation: no new refresh token');

    await oidc.tokenRevocation(config, tokens.refresh_token);
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (err: oidc.ResponseBodyError) => err.error === 'invalid_grant');
    await assert.rejects(oidc.fetchUserInfo(config, refreshed.access_token, claims.sub), (err: oidc.WWWAuthenticateChallengeError) => err.status === 401);
    await context.close();
  });

  it('answers a second authorization request from the managed-login session without the form, and /logout ends that session', async () => {
    const context = await appContext();
    const page = await context.newPage();
    const first = await authorizationUrl();
    await page.goto(first.url.href);
    await signInOnPage(page, 'alice', PASSWORD);
    await page.waitForURL(`${CALLBACK}?**`);

    const second = await authorizationUrl();
    await page.goto(second.url.href);
    await page.waitForURL(`${CALLBACK}?**`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
    });
    assert.ok(tokens.id_token);

    await page.goto(`${c.url}/logout?client_id=${clientId}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`);
    await page.waitForURL(SIGNED_OUT);
    const third = await authorizationUrl();
    await page.goto(third.url.href);
    assert.match(page.url(), /\/login\?/, 'signed out: the form again');
    await context.close();
  });

  it('keeps the user on the form with an error after a wrong password, in the language asked for', async () => {
    const context = await appContext();
    const page = await context.newPage();
    const { url } = await authorizationUrl({ lang: 'fr' });
    await page.goto(url.href);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await page.getByLabel("Nom d'utilisateur").fill('alice');
    await page.getByLabel('Mot de passe').fill('not the password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('alert').textContent(), "Nom d'utilisateur ou mot de passe incorrect.");
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in-wrong-password-fr');
    await context.close();
  });

  it('asks a user with an authenticator app for its code before answering', async () => {
    await createConfirmedUser(c, poolId, 'bob', { password: PASSWORD, attributes: attrs({ email: 'bob@example.com' }) });
    const signedIn = await c.anon.send(
      new InitiateAuthCommand({
        ClientId: (await createClient(c, poolId)).clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'bob', PASSWORD },
      }),
    );
    const token = signedIn.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totpCode(SecretCode!, Date.now()) }));
    await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

    const context = await appContext();
    const page = await context.newPage();
    const { url, verifier, state, nonce } = await authorizationUrl();
    await page.goto(url.href);
    await signInOnPage(page, 'bob', PASSWORD);
    await page.getByLabel('Code').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'mfa-code');
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    // The next step's code: the enrolment used this one.
    await page.getByLabel('Code').fill(totpCode(SecretCode!, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${CALLBACK}?**`, { timeout: 5000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nat ${page.url()}: ${await page.locator('main').textContent()}`);
    });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    assert.equal(tokens.claims()?.['cognito:username'], 'bob');
    await context.close();
  });

  it('shows an error page, and never redirects, for an unknown client or an unregistered redirect URI', async () => {
    const context = await appContext();
    const page = await context.newPage();
    const bad = new URL(`${c.url}/oauth2/authorize`);
    bad.search = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: 'https://evil.example/cb', scope: 'openid' }).toString();
    const response = await page.goto(bad.href);
    assert.equal(response?.status(), 400);
    assert.equal(new URL(page.url()).origin, c.url);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /not registered/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'error-unregistered-redirect');
    await context.close();
  });
});
