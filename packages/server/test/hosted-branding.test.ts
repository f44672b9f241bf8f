import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetUICustomizationCommand, SetUICustomizationCommand } from '@aws-sdk/client-cognito-identity-provider';
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
