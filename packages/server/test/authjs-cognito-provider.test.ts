import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Auth, type AuthConfig } from '@auth/core';
import Cognito from '@auth/core/providers/cognito';
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/browser.ts';
import { attrs, createClient, createConfirmedUser, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Auth.js (@auth/core, the engine of NextAuth v5) with its own Cognito
// provider, pointed at Cognate by issuer only, as an app configures it for
// Cognito: a small app serves Auth.js's routes, and Chromium signs in through
// Auth.js's sign-in page and Cognate's managed-login page, ending with
// Auth.js's session naming the user.

const PASSWORD = 'Kx7#mQ2!vLp9-zR';

/** Node's request as the Fetch API Request Auth.js takes, and its Response written back. */
async function serveAuth(config: AuthConfig, origin: () => string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const method = req.method ?? 'GET';
  const request = new Request(new URL(req.url ?? '/', origin()), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
  const response = await Auth(request, config);
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  out['set-cookie'] = response.headers.getSetCookie();
  res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
}

describe('Auth.js with its Cognito provider signs in through Cognate', () => {
  let c: Running;
  let app: Server;
  let appOrigin: string;
  let browser: Browser;

  before(async () => {
    c = await startCognate();
    const poolId = await createPool(c);
    await createConfirmedUser(c, poolId, 'carol', {
      password: PASSWORD,
      attributes: attrs({ email: 'carol@example.com', email_verified: 'true', name: 'Carol' }),
    });
    let config: AuthConfig | null = null;
    app = createServer((req, res) => {
      if (!req.url?.startsWith('/auth') || !config)
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>home</title><p>home</p>');
      serveAuth(config, () => appOrigin, req, res).catch((err: Error) => res.writeHead(500).end(err.message));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://localhost:${(app.address() as AddressInfo).port}`;
    const { clientId, secret } = await createClient(c, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`${appOrigin}/auth/callback/cognito`],
      SupportedIdentityProviders: ['COGNITO'],
    });
    config = {
      basePath: '/auth',
      trustHost: true,
      secret: 'a-test-secret-of-at-least-thirty-two-characters',
      providers: [Cognito({ clientId, clientSecret: secret!, issuer: `${c.url}/${poolId}` })],
    };
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    app?.closeAllConnections();
    await new Promise((resolve) => app?.close(resolve));
    await c.stop();
  });

  it("completes a sign-in from Auth.js's sign-in page, and Auth.js's session names the user", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appOrigin}/auth/signin`);
    await page.getByRole('button', { name: /Cognito/ }).click();
    await page.waitForURL(/\/login\?/);
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${appOrigin}/`);
    const session = (await (await page.request.get(`${appOrigin}/auth/session`)).json()) as { user?: { email?: string; name?: string } };
    assert.equal(session.user?.email, 'carol@example.com');
    assert.equal(session.user?.name, 'Carol');
    await context.close();
  });
});
