// The seed's journey in a real browser (Debian's Chromium driven by
// playwright-core): sign up, confirm from the mail, sign in with Amplify's
// default SRP flow, the API's extra activity, reload, sign out, a wrong
// password, password recovery, and sign-in with the new password. Then the
// hosted sign-in: Amplify's signInWithRedirect to Cognate's managed-login
// page and back, and signOut through /logout.
//
// Cognate runs on https with its self-signed certificate (Amplify's OAuth
// URLs are https only, scripts/cognate.ts); this browser is told to accept
// it with --ignore-certificate-errors, as a developer accepts it once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Agent } from 'node:https';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { startApi, type RunningApi } from '../backend/api.ts';
import { openCruddurDb, userByCognitoId } from '../backend/db.ts';
import { ensureSeedPool, frontendEnv, operatorCredentials, startCognate, type CognateProcess, type SeedPool } from '../scripts/cognate.ts';
import { Inbox, serveStatic } from './helpers.ts';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const work = mkdtempSync(join(tmpdir(), 'cruddur-e2e-'));
const screenshots = join(work, 'screenshots');
/** Cruddur's own database, where the post confirmation function writes confirmed users. */
const appDb = join(work, 'cruddur.db');
mkdirSync(screenshots);
console.log(`Screenshots: ${screenshots}`);

let inbox: Inbox;
let cognate: CognateProcess;
let seed: SeedPool;
let api: RunningApi;
let web: Awaited<ReturnType<typeof serveStatic>>;
let context: BrowserContext;
let page: Page;
const apiLog: string[] = [];
const browserLog: string[] = [];
/** The Cognito operations the page called, e.g. "InitiateAuth USER_SRP_AUTH". */
const cognitoCalls: string[] = [];
/** The page's requests to Cognate's OAuth endpoints and pages, as "GET /login" (the path only: the query holds codes). */
const oauthRequests: string[] = [];
/** The answers to those requests, as "POST /oauth2/token 200". */
const oauthResponses: string[] = [];

before(async () => {
  inbox = await new Inbox().start();
  cognate = await startCognate({ dataDir: join(work, 'cognate'), port: 0, smtpUrl: inbox.url, appDb });

  // The static server first: the API's CORS origin and the app client's
  // callback and sign-out URLs are its address.
  const dist = join(work, 'dist');
  mkdirSync(dist);
  web = await serveStatic(dist);
  seed = await ensureSeedPool(cognate, web.origin);
  api = await startApi({ issuer: seed.issuer, clientId: seed.clientId, ca: cognate.ca, frontendOrigin: web.origin, port: 0, log: (l) => apiLog.push(l) });

  // The production build, configured through the same VITE_* variables as the dev script.
  Object.assign(process.env, frontendEnv(seed, cognate.endpoint, api.url));
  await build({ root: APP_DIR, configFile: join(APP_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });

  context = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Cognate's self-signed certificate (see the top of this file).
      '--ignore-certificate-errors',
    ],
    viewport: { width: 1280, height: 860 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => browserLog.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => browserLog.push(`pageerror: ${e.message}`));
  page.on('request', (req) => {
    const target = req.headers()['x-amz-target'];
    if (!target?.startsWith('AWSCognitoIdentityProviderService.')) return;
    const body = (req.postDataJSON() ?? {}) as { AuthFlow?: string; ChallengeName?: string };
    cognitoCalls.push([target.split('.')[1], body.AuthFlow ?? body.ChallengeName].filter(Boolean).join(' '));
  });
  const cognatePath = (url: string) => (url.startsWith(`${cognate.endpoint}/`) ? new URL(url).pathname : null);
  page.on('request', (req) => {
    const path = cognatePath(req.url());
    if (path && path !== '/') oauthRequests.push(`${req.method()} ${path}`);
  });
  page.on('response', (res) => {
    const path = cognatePath(res.url());
    if (path && path !== '/') oauthResponses.push(`${res.request().method()} ${path} ${res.status()}`);
  });
});

after(async () => {
  await context?.close();
  await web?.close();
  await api?.close();
  await cognate?.stop();
  await inbox?.close();
  // Keep the screenshots; drop the database, the build and the browser profile.
  for (const dir of ['cognate', 'dist', 'chromium-profile']) rmSync(join(work, dir), { recursive: true, force: true });
  console.log(`Screenshots: ${screenshots}`);
});

let shot = 0;
async function screenshot(name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(screenshots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

const LORE = "My dear brother, it's the humans that are the problem";

async function fill(label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

async function expectSignedIn(name: string, handle: string): Promise<void> {
  await page.getByText(LORE).waitFor();
  const profile = page.getByTestId('profile');
  await profile.getByText(name, { exact: true }).waitFor();
  await profile.getByText(`@${handle}`, { exact: true }).waitFor();
  assert.equal(await page.getByTestId('join').count(), 0);
}

async function expectSignedOut(): Promise<void> {
  await page.getByTestId('join').getByText('Join The Party!').waitFor();
  await page.getByText('Cloud is fun!').waitFor();
  assert.equal(await page.getByText(LORE).count(), 0, 'no extra activity without a token');
  assert.equal(await page.getByTestId('profile').count(), 0);
}

async function alertText(): Promise<string> {
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return ((await alert.textContent()) ?? '').trim();
}

/**
 * Each step is a subtest; after a failure the later steps are skipped, as
 * they depend on it, and the page is captured for the report.
 */
function stepsOf(t: TestContext): (title: string, fn: () => Promise<void>) => Promise<void> {
  let failed = false;
  return (title, fn) =>
    t.test(title, { skip: failed ? 'an earlier step failed' : false }, async (st) => {
      try {
        await fn();
      } catch (err) {
        failed = true;
        await screenshot('failure').catch(() => {});
        const oauth = ['Cognate OAuth requests:', ...oauthRequests, 'Cognate OAuth responses:', ...oauthResponses];
        for (const line of [`page: ${page.url()}`, 'browser log:', ...browserLog, 'API log:', ...apiLog, ...oauth]) st.diagnostic(line);
        throw err;
      }
    });
}

/** An SDK client with Cognate's operator key, trusting its self-signed certificate. */
function operatorClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: cognate.endpoint,
    region: 'us-east-1',
    credentials: operatorCredentials(cognate.dataDir),
    requestHandler: { httpsAgent: new Agent({ ca: cognate.ca }) },
  });
}

test('a new visitor signs up, confirms, signs in, signs out and recovers the password', { timeout: 240_000 }, async (t) => {
  const tag = randomBytes(4).toString('hex');
  const email = `ada-${tag}@example.com`;
  const name = 'Ada Lovelace';
  const handle = `ada${tag}`;
  const password = 'Cruddur-Passw0rd!';
  const newPassword = 'N3w-Cruddur-Passw0rd!';

  const step = stepsOf(t);

  await step('the home feed, signed out, with the join box', async () => {
    await page.goto(`${web.origin}/`);
    await expectSignedOut();
    await screenshot('home-signed-out');
  });

  await step('sign up', async () => {
    await page.getByRole('link', { name: 'Join Now!' }).click();
    await page.getByRole('heading', { name: 'Sign up to create a Cruddur account' }).waitFor();
    await fill('Name', name);
    await fill('Email', email);
    await fill('Username', handle);
    await fill('Password', password);
    await screenshot('signup');
    await page.getByRole('button', { name: 'Sign Up' }).click();
    await page.getByRole('heading', { name: 'Confirm your Email' }).waitFor();
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email);
    await screenshot('confirm');
    const db = openCruddurDb(appDb);
    try {
      assert.equal((db.prepare('SELECT count(*) AS n FROM users WHERE email = ?').get(email) as { n: number }).n, 0, 'not in the app before confirmation');
    } finally {
      db.close();
    }
  });

  let firstCode = '';
  await step('the confirmation code arrives by mail', async () => {
    firstCode = await inbox.nextCode(email);
  });

  await step('signing in unconfirmed leads back to the confirmation page', async () => {
    await page.goto(`${web.origin}/signin`);
    await fill('Email', email);
    await fill('Password', password);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await page.getByRole('heading', { name: 'Confirm your Email' }).waitFor();
    await page.getByText('Your account is not confirmed yet').waitFor();
    await screenshot('confirm-after-unconfirmed-sign-in');
  });

  await step('resend the code; the superseded one is refused in words; the new one confirms', async () => {
    await page.getByRole('button', { name: 'Resend activation code' }).click();
    await page.getByText('A new activation code has been sent to your email.').waitFor();
    const secondCode = await inbox.nextCode(email);
    assert.notEqual(secondCode, firstCode);

    await fill('Confirmation Code', firstCode);
    await page.getByRole('button', { name: 'Confirm Email' }).click();
    const refused = await alertText();
    assert.ok(refused.length > 10, `an error message in words, got "${refused}"`);
    await screenshot('confirm-old-code-refused');

    await fill('Confirmation Code', secondCode);
    await page.getByRole('button', { name: 'Confirm Email' }).click();
    await page.getByText('Your email is confirmed. Sign in to continue.').waitFor();
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email);
    await screenshot('signin-after-confirmation');
  });

  await step("the post confirmation function wrote the user into Cruddur's database", async () => {
    const admin = operatorClient();
    const { Users } = await admin.send(new ListUsersCommand({ UserPoolId: seed.userPoolId, Filter: `email = "${email}"` })).finally(() => admin.destroy());
    const sub = Users?.[0]?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    assert.ok(sub, 'the user exists in the pool');
    const db = openCruddurDb(appDb);
    try {
      const row = userByCognitoId(db, sub);
      assert.ok(row, 'a users row for the confirmed user');
      assert.deepEqual({ display_name: row.display_name, handle: row.handle, email: row.email }, { display_name: name, handle, email });
      assert.equal((db.prepare('SELECT count(*) AS n FROM users WHERE email = ?').get(email) as { n: number }).n, 1, 'exactly one row');
    } finally {
      db.close();
    }
  });

  await step('sign in (SRP): the extra activity and the sidebar', async () => {
    cognitoCalls.length = 0;
    await fill('Password', password);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await page.waitForURL(`${web.origin}/`);
    await expectSignedIn(name, handle);
    // Amplify's default flow, unchanged: SRP, never the password itself.
    assert.deepEqual(cognitoCalls.slice(0, 2), ['InitiateAuth USER_SRP_AUTH', 'RespondToAuthChallenge PASSWORD_VERIFIER']);
    await screenshot('home-signed-in');
  });

  await step('a reload keeps the user signed in', async () => {
    await page.reload();
    await expectSignedIn(name, handle);
    await screenshot('home-after-reload');
  });

  await step('the API trusts only an access token of this client', async () => {
    // Amplify's stored tokens, straight from localStorage. (An expression,
    // not a function: tsx would add a __name helper the page does not have.)
    const stored = await page.evaluate<[string, string][]>('Object.entries(localStorage)');
    const get = (suffix: string) => stored.find(([k]) => k.endsWith(suffix))?.[1] ?? '';
    const tokens = { access: get('.accessToken'), id: get('.idToken') };
    assert.ok(tokens.access && tokens.id, 'Amplify keeps the tokens in localStorage');
    const feed = async (token: string) => {
      const res = await fetch(`${api.url}/api/activities/home`, { headers: { Authorization: `Bearer ${token}` } });
      return ((await res.json()) as { handle: string }[]).map((a) => a.handle);
    };
    assert.equal((await feed(tokens.access))[0], 'Lore');
    assert.ok(!(await feed(tokens.id)).includes('Lore'), 'an ID token is refused');
    // One character changed inside the signature (not its last, whose spare bits must stay zero).
    const at = tokens.access.lastIndexOf('.') + 10;
    const tampered = tokens.access.slice(0, at) + (tokens.access[at] === 'A' ? 'B' : 'A') + tokens.access.slice(at + 1);
    assert.ok(!(await feed(tampered)).includes('Lore'), 'a bad signature is refused');
    assert.ok(
      apiLog.some((l) => l.includes('ERR_TOKEN_USE')),
      apiLog.join('\n'),
    );
    assert.ok(
      apiLog.some((l) => l.includes('ERR_SIGNATURE')),
      apiLog.join('\n'),
    );
  });

  await step('sign out (global)', async () => {
    await page.getByTestId('profile').getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut();
    assert.ok(cognitoCalls.includes('GlobalSignOut'), cognitoCalls.join(', '));
    await page.reload();
    await expectSignedOut();
    await screenshot('home-signed-out-again');
  });

  await step("a wrong password shows Cognito's message", async () => {
    await page.getByTestId('join').getByRole('link', { name: 'Sign In' }).click();
    await fill('Email', email);
    await fill('Password', 'Not-The-Passw0rd!');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    assert.equal(await alertText(), 'Incorrect username or password.');
    await screenshot('signin-wrong-password');
  });

  await step('recover the password: send a code, then the new password twice', async () => {
    await page.getByRole('link', { name: 'Forgot Password?' }).click();
    await page.getByRole('heading', { name: 'Recover your Password' }).waitFor();
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email);
    await screenshot('recover');
    await page.getByRole('button', { name: 'Send Recovery Code' }).click();
    await page.getByLabel('Reset Password Code').waitFor();
    const code = await inbox.nextCode(email);
    await fill('Reset Password Code', code);
    await fill('New Password', newPassword);
    await fill('Confirm Password', `${newPassword}x`);
    await page.getByRole('button', { name: 'Reset Password' }).click();
    assert.equal(await alertText(), 'Passwords do not match');
    await screenshot('recover-passwords-differ');
    await fill('Confirm Password', newPassword);
    await page.getByRole('button', { name: 'Reset Password' }).click();
    await page.getByText('Your password has been successfully reset!').waitFor();
    await screenshot('recover-done');
  });

  await step('sign in with the new password', async () => {
    await page.getByRole('link', { name: 'Proceed to Sign In' }).click();
    await fill('Password', newPassword);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await page.waitForURL(`${web.origin}/`);
    await expectSignedIn(name, handle);
    await screenshot('home-signed-in-new-password');
  });
});

/** Amplify's stored tokens, straight from localStorage (an expression, not a function: tsx would add a __name helper the page does not have). */
async function storedTokens(): Promise<{ access: string; id: string; refresh: string }> {
  const stored = await page.evaluate<[string, string][]>('Object.entries(localStorage)');
  const get = (suffix: string) => stored.find(([k]) => k.endsWith(suffix))?.[1] ?? '';
  return { access: get('.accessToken'), id: get('.idToken'), refresh: get('.refreshToken') };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

async function clickHostedSignIn(): Promise<void> {
  await page.goto(`${web.origin}/signin`);
  await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
}

test('the hosted sign-in: signInWithRedirect to Cognate’s page and back, signOut through /logout', { timeout: 120_000 }, async (t) => {
  const tag = randomBytes(4).toString('hex');
  const email = `grace-${tag}@example.com`;
  const name = 'Grace Hopper';
  const handle = `grace${tag}`;
  const password = 'H0sted-Cruddur-Passw0rd!';
  const step = stepsOf(t);

  // A confirmed user, made by the operator: the first test covers signing up.
  const admin = operatorClient();
  try {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: seed.userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: name },
          { Name: 'preferred_username', Value: handle },
        ],
      }),
    );
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: seed.userPoolId, Username: email, Password: password, Permanent: true }));
  } finally {
    admin.destroy();
  }

  await step('signed out, the sign-in page offers the hosted page', async () => {
    // The first test left its user signed in: start from nothing stored.
    await page.goto(`${web.origin}/`);
    await page.evaluate('localStorage.clear()');
    await page.goto(`${web.origin}/signin`);
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).waitFor();
    await screenshot('signin-with-hosted-button');
  });

  await step('the button leads to Cognate’s sign-in page, with the code flow and PKCE', async () => {
    oauthRequests.length = 0;
    const authorize = page.waitForRequest((req) => req.url().startsWith(`${cognate.endpoint}/oauth2/authorize?`));
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    const params = new URL((await authorize).url()).searchParams;
    assert.equal(params.get('client_id'), seed.clientId);
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('redirect_uri'), `${web.origin}/`);
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('scope'), 'openid email profile aws.cognito.signin.user.admin');
    await page.waitForURL(`${cognate.endpoint}/login?**`);
    await page.getByLabel('Password').waitFor();
    await screenshot('hosted-sign-in-page');
  });

  await step('signing in there lands back in the app, signed in, and the API accepts the access token', async () => {
    cognitoCalls.length = 0;
    oauthResponses.length = 0;
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Amplify exchanges the code, then replaces the URL with the bare redirect URI.
    await page.waitForURL(`${web.origin}/`);
    await expectSignedIn(name, handle);
    await screenshot('home-signed-in-hosted');
    // The code went to the token endpoint from the page (cross-origin, so
    // through CORS); no SRP: the password was typed on Cognate's page only.
    assert.ok(oauthResponses.includes('POST /oauth2/token 200'), oauthResponses.join(', '));
    assert.ok(!cognitoCalls.some((c) => c.startsWith('InitiateAuth')), cognitoCalls.join(', '));
    // fetchUserAttributes read the name and handle with the hosted sign-in's access token.
    assert.ok(cognitoCalls.includes('GetUser'), cognitoCalls.join(', '));

    const tokens = await storedTokens();
    assert.ok(tokens.access && tokens.id && tokens.refresh, 'Amplify keeps the three tokens');
    const access = claimsOf(tokens.access);
    assert.equal(access['client_id'], seed.clientId);
    assert.equal(access['iss'], seed.issuer);
    assert.deepEqual(String(access['scope']).split(' ').sort(), ['aws.cognito.signin.user.admin', 'email', 'openid', 'profile']);
    assert.equal(claimsOf(tokens.id)['email'], email);
    const res = await fetch(`${api.url}/api/activities/home`, { headers: { Authorization: `Bearer ${tokens.access}` } });
    assert.equal(((await res.json()) as { handle: string }[])[0]?.handle, 'Lore');
    assert.ok(
      apiLog.some((l) => l.includes(`authenticated ${String(access['username'])}`)),
      apiLog.join('\n'),
    );
  });

  await step('while Cognate’s session lasts, the hosted sign-in answers without the form', async () => {
    // Forget the app's tokens only: Cognate's session cookie stays.
    await page.evaluate('localStorage.clear()');
    oauthRequests.length = 0;
    await clickHostedSignIn();
    await page.waitForURL(`${web.origin}/`);
    await expectSignedIn(name, handle);
    assert.ok(oauthRequests.includes('GET /oauth2/authorize'), oauthRequests.join(', '));
    assert.ok(!oauthRequests.includes('GET /login'), `no sign-in page: ${oauthRequests.join(', ')}`);
  });

  await step('sign out: tokens revoked, then /logout ends the session and sends the browser back', async () => {
    cognitoCalls.length = 0;
    oauthResponses.length = 0;
    await page.getByTestId('profile').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.origin}/`);
    await expectSignedOut();
    assert.ok(cognitoCalls.includes('GlobalSignOut'), cognitoCalls.join(', '));
    assert.ok(oauthResponses.includes('GET /logout 302'), oauthResponses.join(', '));
    assert.equal((await storedTokens()).access, '', 'no tokens kept');
    await screenshot('home-signed-out-after-logout');
  });

  await step('a new hosted sign-in asks for the password again', async () => {
    await clickHostedSignIn();
    await page.waitForURL(`${cognate.endpoint}/login?**`);
    await page.getByLabel('Password').waitFor();
    await screenshot('hosted-sign-in-page-again');
  });
});
