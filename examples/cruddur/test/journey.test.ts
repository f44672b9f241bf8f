// The seed's journey in a real browser (Debian's Chromium driven by
// playwright-core): sign up, confirm from the mail, sign in with Amplify's
// default SRP flow, the API's extra activity, reload, sign out, a wrong
// password, password recovery, and sign-in with the new password.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { startApi, type RunningApi } from '../backend/api.ts';
import { ensureSeedPool, frontendEnv, startCognate, type CognateProcess, type SeedPool } from '../scripts/cognate.ts';
import { Inbox, serveStatic } from './helpers.ts';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const work = mkdtempSync(join(tmpdir(), 'cruddur-e2e-'));
const screenshots = join(work, 'screenshots');
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

before(async () => {
  inbox = await new Inbox().start();
  cognate = await startCognate({ dataDir: join(work, 'cognate'), port: 0, smtpUrl: inbox.url });
  seed = await ensureSeedPool(cognate);

  // The static server first: the API's CORS origin is its address.
  const dist = join(work, 'dist');
  mkdirSync(dist);
  web = await serveStatic(dist);
  api = await startApi({ issuer: seed.issuer, clientId: seed.clientId, frontendOrigin: web.origin, port: 0, log: (l) => apiLog.push(l) });

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

test('a new visitor signs up, confirms, signs in, signs out and recovers the password', { timeout: 240_000 }, async (t) => {
  const tag = randomBytes(4).toString('hex');
  const email = `ada-${tag}@example.com`;
  const name = 'Ada Lovelace';
  const handle = `ada${tag}`;
  const password = 'Cruddur-Passw0rd!';
  const newPassword = 'N3w-Cruddur-Passw0rd!';

  // Each step is a subtest; after a failure the later steps are skipped, as
  // they depend on it, and the page is captured for the report.
  let failed = false;
  const step = (title: string, fn: () => Promise<void>) =>
    t.test(title, { skip: failed ? 'an earlier step failed' : false }, async (st) => {
      try {
        await fn();
      } catch (err) {
        failed = true;
        await screenshot('failure').catch(() => {});
        for (const line of [`page: ${page.url()}`, 'browser log:', ...browserLog, 'API log:', ...apiLog]) st.diagnostic(line);
        throw err;
      }
    });

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
  });

  let firstCode = '';
  await step('the confirmation code arrives by mail', async () => {
    firstCode = await inbox.nextCode(email);
  });

  await step('signing in unconfirmed leads back to the confirmation page', async () => {
    await page.goto(`${web.origin}/signin`);
    await fill('Email', email);
    await fill('Password', password);
    await page.getByRole('button', { name: 'Sign In' }).click();
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

  await step('sign in (SRP): the extra activity and the sidebar', async () => {
    cognitoCalls.length = 0;
    await fill('Password', password);
    await page.getByRole('button', { name: 'Sign In' }).click();
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
    await page.getByRole('button', { name: 'Sign In' }).click();
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
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.waitForURL(`${web.origin}/`);
    await expectSignedIn(name, handle);
    await screenshot('home-signed-in-new-password');
  });
});
