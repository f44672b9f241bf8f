import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateManagedLoginBrandingCommand, GetUICustomizationCommand, SetUICustomizationCommand } from '@aws-sdk/client-cognito-identity-provider';
import QRCode from 'qrcode';
import { screenshot, seriousViolations } from './helpers/browser.ts';
import { authorization, type HostedWorld, type OAuthApp, oauthApp, startHostedWorld } from './helpers/hosted.ts';
import { createPool } from './helpers/pools.ts';

// SetUICustomization's CSS and logo on the managed-login pages: the CSS is
// linked as its own text/css resource (never inlined), the logo is served at
// the ImageUrl GetUICustomization names and shown with alternative text.

// Cognito's customizable classes (SetUICustomization refuses '<' and anything else a page could load; test/ui-customization.test.ts).
const CSS = '.background-customizable { background-color: #e8eef7; }\n.submitButton-customizable { background-color: #1d4f91; }\n/* the brand colours */';

describe('Managed-login branding from UI customization', () => {
  let w: HostedWorld;
  let poolId: string;
  let app: OAuthApp;
  let plain: OAuthApp;
  let logo: Buffer;

  before(async () => {
    w = await startHostedWorld();
    poolId = await createPool(w.c);
    app = await oauthApp(w, poolId);
    plain = await oauthApp(w, await createPool(w.c));
    logo = await QRCode.toBuffer('logo', { width: 96 });
    await w.c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: app.clientId, CSS, ImageFile: logo }));
  });
  after(() => w.close());

  it('links the CSS and shows the logo at the ImageUrl GetUICustomization names', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(app, w.callback)).url.href);
    const href = await page.locator('link[rel=stylesheet]').nth(1).getAttribute('href');
    assert.match(href ?? '', /^\/hosted-ui\/custom\.css\?client_id=/);
    const css = await page.request.get(new URL(href!, page.url()).href);
    assert.equal(css.status(), 200);
    assert.equal(css.headers()['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers()['x-content-type-options'], 'nosniff');
    assert.equal(await css.text(), CSS);
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(232, 238, 247)', 'the CSS applies');

    const img = page.getByRole('img', { name: 'Logo' });
    const src = await img.getAttribute('src');
    const { UICustomization } = await w.c.admin.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: app.clientId }));
    assert.equal(new URL(UICustomization!.ImageUrl!).pathname, src);
    assert.ok((await img.evaluate((i: HTMLImageElement) => i.naturalWidth)) > 0, 'the logo loads under the CSP');
    const served = await page.request.get(new URL(src!, page.url()).href);
    assert.equal(served.headers()['content-type'], 'image/png');
    assert.deepEqual(Buffer.from(await served.body()), logo);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in-branded');
    await context.close();
  });

  it('links nothing for a client without customization, and answers 404 for a logo that does not exist', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(plain, w.callback)).url.href);
    assert.equal(await page.locator('link[rel=stylesheet]').count(), 1);
    assert.equal(await page.locator('img').count(), 0);
    const missing = await page.request.get(`${w.c.url}/ui-customization/${poolId}/ALL/logo.png`);
    assert.equal(missing.status(), 404);
    const css = await page.request.get(`${w.c.url}/hosted-ui/custom.css?client_id=${plain.clientId}`);
    assert.equal(css.status(), 404);
    await context.close();
  });
});

// A managed login branding style (CreateManagedLoginBranding) wins over the
// classic customization for its client: CSS generated from its Settings, its
// FORM_LOGO as the page's logo, its FAVICON_ICO as the icon.
const STYLE_SETTINGS = {
  categories: { global: { colorSchemeMode: 'LIGHT' } },
  components: {
    primaryButton: { lightMode: { defaults: { backgroundColor: '5b21b6ff', textColor: 'ffffffff' }, hover: { backgroundColor: '3b0764ff' } } },
    pageBackground: { lightMode: { color: 'f3e8ffff' } },
    form: { borderRadius: 16, lightMode: { backgroundColor: 'ffffffff', borderColor: 'c4b5fdff' }, logo: { enabled: true } },
    pageText: { lightMode: { headingColor: '3b0764ff' } },
  },
  componentClasses: {
    buttons: { borderRadius: 20 },
    link: { lightMode: { defaults: { textColor: '5b21b6ff' } } },
    input: { lightMode: { defaults: { borderColor: '7c3aedzz' } } },
  },
};

describe('Managed-login pages with a managed login branding style', () => {
  let w: HostedWorld;
  let poolId: string;
  let styled: OAuthApp;
  let classic: OAuthApp;
  let defaults: OAuthApp;
  let adaptive: OAuthApp;
  let logo: Buffer;
  let darkLogo: Buffer;
  const icon = Buffer.from('00000100010010100000010020006804000016000000', 'hex');
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

  before(async () => {
    w = await startHostedWorld();
    poolId = await createPool(w.c);
    styled = await oauthApp(w, poolId);
    classic = await oauthApp(w, poolId);
    defaults = await oauthApp(w, poolId);
    adaptive = await oauthApp(w, poolId);
    logo = await QRCode.toBuffer('managed logo', { width: 96 });
    darkLogo = await QRCode.toBuffer('dark logo', { width: 96, color: { dark: '#ffffffff', light: '#0f1b2aff' } });
    // The pool-wide classic customization: it must not show on the styled client's pages.
    await w.c.admin.send(
      new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'ALL', CSS, ImageFile: await QRCode.toBuffer('classic', { width: 64 }) }),
    );
    await w.c.admin.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: styled.clientId,
        Settings: STYLE_SETTINGS,
        Assets: [
          { Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: logo },
          { Category: 'FAVICON_ICO', ColorMode: 'DYNAMIC', Extension: 'ICO', Bytes: icon },
          { Category: 'FORM_LOGO', ColorMode: 'DARK', Extension: 'SVG', Bytes: svg },
        ],
      }),
    );
    await w.c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: defaults.clientId, UseCognitoProvidedValues: true }));
    await w.c.admin.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: adaptive.clientId,
        Settings: {
          categories: { global: { colorSchemeMode: 'DYNAMIC' } },
          components: { pageBackground: { lightMode: { color: 'f3e8ffff' }, darkMode: { color: '0f1b2aff' } } },
        },
        Assets: [
          { Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: logo },
          { Category: 'FORM_LOGO', ColorMode: 'DARK', Extension: 'PNG', Bytes: darkLogo },
        ],
      }),
    );
  });
  after(() => w.close());

  it('styles the sign-in page from the Settings and shows the FORM_LOGO', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(styled, w.callback)).url.href);
    const sheets = await page.locator('link[rel=stylesheet]').evaluateAll((ls) => ls.map((l) => l.getAttribute('href')));
    assert.equal(sheets.length, 2, 'Cognate’s stylesheet and the style’s, not the classic CSS');
    assert.match(sheets[1] ?? '', /^\/hosted-ui\/branding\.css\?client_id=/);
    const button = page.getByRole('button', { name: 'Sign in', exact: true });
    assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(91, 33, 182)');
    assert.equal(await button.evaluate((b) => getComputedStyle(b).borderRadius), '20px');
    assert.equal(await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(243, 232, 255)');
    const css = await (await page.request.get(new URL(sheets[1]!, page.url()).href)).text();
    assert.doesNotMatch(css, /zz/, 'an invalid colour is left out');

    const img = page.getByRole('img', { name: 'Logo' });
    const src = await img.getAttribute('src');
    assert.match(src ?? '', /^\/hosted-ui\/branding\/[^/]+\/form-logo\.light\.png\?v=\d+$/);
    assert.ok((await img.evaluate((i: HTMLImageElement) => i.naturalWidth)) > 0, 'the logo loads under the CSP');
    const served = await page.request.get(new URL(src!, page.url()).href);
    assert.equal(served.headers()['content-type'], 'image/png');
    assert.deepEqual(Buffer.from(await served.body()), logo);

    const iconHref = await page.locator('link[rel=icon]').getAttribute('href');
    const servedIcon = await page.request.get(new URL(iconHref!, page.url()).href);
    assert.equal(servedIcon.headers()['content-type'], 'image/x-icon');
    assert.deepEqual(Buffer.from(await servedIcon.body()), icon);

    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'sign-in-managed-branding');
    await context.close();
  });

  it('follows the browser into dark mode for a DYNAMIC style: dark colours and the dark FORM_LOGO', async () => {
    const context = await w.browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto((await authorization(adaptive, w.callback)).url.href);
    assert.equal(await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(15, 27, 42)');
    const img = page.getByRole('img', { name: 'Logo' });
    assert.match(await img.evaluate((i: HTMLImageElement) => i.currentSrc), /form-logo\.dark\.png/);
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(243, 232, 255)');
    assert.deepEqual(await seriousViolations(page), []);
    await context.close();
  });

  it('serves an SVG asset only as an inert image', async () => {
    const res = await fetch(`${w.c.url}/hosted-ui/branding/${styled.clientId}/form-logo.dark.svg`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'");
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await fetch(`${w.c.url}/hosted-ui/branding/${styled.clientId}/form-logo.light.svg`)).status, 404);
    assert.equal((await fetch(`${w.c.url}/hosted-ui/branding/${classic.clientId}/form-logo.light.png`)).status, 404);
  });

  it('keeps the classic customization for a client without a style, and the default look for UseCognitoProvidedValues', async () => {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorization(classic, w.callback)).url.href);
    assert.match((await page.locator('link[rel=stylesheet]').nth(1).getAttribute('href')) ?? '', /^\/hosted-ui\/custom\.css\?/);
    assert.equal(await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(232, 238, 247)');
    assert.match((await page.getByRole('img', { name: 'Logo' }).getAttribute('src')) ?? '', /^\/ui-customization\//);

    await page.goto((await authorization(defaults, w.callback)).url.href);
    assert.equal(await page.locator('link[rel=stylesheet]').count(), 1, 'Cognate’s own look, nothing added');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('link[rel=icon]').count(), 0);
    assert.equal((await fetch(`${w.c.url}/hosted-ui/branding.css?client_id=${defaults.clientId}`)).status, 404);
    await context.close();
  });
});
