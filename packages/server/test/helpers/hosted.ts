import type { Config } from '../../src/config/schema.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { createClient } from './pools.ts';
import { startCognate, type Running } from './server.ts';

// What the managed-login page tests share: Cognate, a real app server (its
// callback only), Chromium, and an openid-client configuration per app client.

export interface HostedWorld {
  c: Running;
  browser: Browser;
  callback: string;
  close(): Promise<void>;
}

export async function startHostedWorld(config: Partial<Config> = {}): Promise<HostedWorld> {
  const app: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><p>app</p>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const callback = `http://localhost:${(app.address() as AddressInfo).port}/callback`;
  const c = await startCognate({ config });
  const browser = await launchChromium();
  return {
    c,
    browser,
    callback,
    async close() {
      await browser.close();
      await c.stop();
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    },
  };
}

export interface OAuthApp {
  clientId: string;
  config: oidc.Configuration;
}

/** An app client for the code flow (with a secret, so the pages' SECRET_HASH is exercised) and its openid-client configuration. */
export async function oauthApp(w: HostedWorld, poolId: string, extra: Partial<CreateUserPoolClientCommandInput> = {}): Promise<OAuthApp> {
  const { clientId, secret } = await createClient(w.c, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [w.callback],
    SupportedIdentityProviders: ['COGNITO'],
    ...extra,
  });
  const config = await oidc.discovery(new URL(`${w.c.url}/${poolId}`), clientId, secret, oidc.ClientSecretBasic(secret!), {
    execute: [oidc.allowInsecureRequests],
  });
  return { clientId, config };
}

export interface Authorization {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

export async function authorization(app: OAuthApp, callback: string, extra: Record<string, string> = {}): Promise<Authorization> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(app.config, {
    redirect_uri: callback,
    scope: 'openid email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

/** Waits for the app's callback (saying where the browser is instead), then exchanges its code with openid-client. */
export async function finishAtCallback(page: Page, w: HostedWorld, app: OAuthApp, auth: Authorization) {
  await page.waitForURL(`${w.callback}?**`, { timeout: 5000 }).catch(async (err: Error) => {
    throw new Error(`${err.message}\nat ${page.url()}: ${await page.locator('main').textContent()}`);
  });
  return oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
}

/** The text of the page's alert, or null when it has none. */
export async function alertText(page: Page): Promise<string | null> {
  const alert = page.getByRole('alert');
  return (await alert.count()) ? ((await alert.first().textContent()) ?? '') : null;
}
