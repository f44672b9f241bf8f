import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteUserPoolClientCommand, GetUICustomizationCommand, SetUICustomizationCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The smallest PNG: signature, IHDR, IDAT, IEND of a 1×1 image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const CSS = '.background-customizable { background-color: #eee; }';

describe('hosted UI customization', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const get = async (UserPoolId: string, ClientId?: string) =>
    (await c.admin.send(new GetUICustomizationCommand({ UserPoolId, ...(ClientId ? { ClientId } : {}) }))).UICustomization!;

  it('SetUICustomization without ClientId sets the pool default (ALL) that every client falls back to', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    const out = (await c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: PNG }))).UICustomization!;
    const second = Math.floor(clock.now() / 1000) * 1000;
    assert.equal(out.UserPoolId, poolId);
    assert.equal(out.ClientId, 'ALL');
    assert.equal(out.CSS, CSS);
    assert.equal(out.CSSVersion, String(clock.now()));
    assert.equal(out.ImageUrl, `${c.deps.config.publicUrl.replace(/\/$/, '')}/ui-customization/${poolId}/ALL/logo.png`);
    assert.equal(out.CreationDate?.getTime(), second);
    assert.equal(out.LastModifiedDate?.getTime(), second);
    assert.deepEqual(await get(poolId), out);
    assert.deepEqual(await get(poolId, clientId), out, "a client without its own falls back to the pool's");
    const stored = (await c.deps.store.uiCustomizations.get(poolId, clientId))!;
    assert.ok(stored.imageFile?.equals(PNG));
    assert.equal(stored.imageType, 'png');
  });

  it("a client's own customization wins; creation date kept across updates; deleting the client removes it", async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    await c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS }));
    const own = (await c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: '.banner-customizable { padding: 1px; }' })))
      .UICustomization!;
    assert.equal(own.ClientId, clientId);
    assert.equal(own.ImageUrl, undefined);
    assert.equal((await get(poolId, clientId)).CSS, '.banner-customizable { padding: 1px; }');
    assert.equal((await get(poolId)).CSS, CSS);
    clock.advance(5000);
    const again = (await c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: '' }))).UICustomization!;
    assert.equal(again.CreationDate?.getTime(), own.CreationDate?.getTime());
    assert.equal(again.LastModifiedDate!.getTime(), own.LastModifiedDate!.getTime() + 5000);
    await c.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.equal(await c.deps.store.uiCustomizations.own(poolId, clientId), null);
    assert.equal((await c.deps.store.uiCustomizations.own(poolId, 'ALL'))?.css, CSS);
  });

  it('nothing set: GetUICustomization names only the pool and client', async () => {
    const poolId = await createPool(c);
    assert.deepEqual(await get(poolId), { UserPoolId: poolId, ClientId: 'ALL' });
  });

  it('an image that is not PNG or JPEG, an unknown client or pool: errors, nothing written', async () => {
    const poolId = await createPool(c);
    await assert.rejects(c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: Buffer.from('GIF89a....') })), {
      name: 'InvalidParameterException',
      message: 'The image file must be a PNG or JPEG image.',
    });
    await assert.rejects(c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient', CSS })), {
      name: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient does not exist.',
    });
    const missing = `${c.deps.config.region}_Missing00`;
    await assert.rejects(get(missing), { name: 'ResourceNotFoundException', message: `User pool ${missing} does not exist.` });
    assert.deepEqual(await get(poolId), { UserPoolId: poolId, ClientId: 'ALL' });
  });

  it("CSS Cognito's way (its classes, ordinary properties, comments) is accepted", async () => {
    const poolId = await createPool(c);
    // Cognito's own template (GetUICustomization's default), abridged, with the pseudo-classes it lists.
    const template = [
      '.logo-customizable { max-width: 60%; max-height: 30%; }',
      '.banner-customizable { padding: 25px 0px 25px 0px; background-color: lightgray; }',
      '.label-customizable { font-weight: 400; }',
      '.textDescription-customizable { padding-top: 10px; padding-bottom: 10px; display: block; font-size: 16px; }',
      '.idpDescription-customizable { padding-top: 10px; padding-bottom: 10px; display: block; font-size: 16px; }',
      '.legalText-customizable { color: #747474; font-size: 11px; }',
      '.submitButton-customizable { font-size: 14px; font-weight: bold; margin: 20px 0px 10px 0px; height: 40px; width: 100%; color: #fff; background-color: #337ab7; }',
      '.submitButton-customizable:hover { color: #fff; background-color: #286090; }',
      '.errorMessage-customizable { padding: 5px; font-size: 14px; width: 100%; background: #F5F5F5; border: 2px solid #D64958; color: #D64958; }',
      '.inputField-customizable { width: 100%; height: 34px; color: #555; background-color: #fff; border: 1px solid #ccc; }',
      '.inputField-customizable:focus { border-color: #66afe9; outline: 0; }',
      '.idpButton-customizable { height: 40px; width: 100%; text-align: center; margin-bottom: 15px; color: #fff; background-color: #5bc0de; border-color: #46b8da; }',
      '.idpButton-customizable:hover { color: #fff; background-color: #31b0d5; }',
      '.socialButton-customizable { border-radius: 2px; height: 40px; margin-bottom: 15px; padding: 1px; text-align: left; width: 100%; }',
      '.redirect-customizable { text-align: center; }',
      '.passwordCheck-notValid-customizable { color: #DF3312; }',
      '.passwordCheck-valid-customizable { color: #19BF00; }',
      '/* grouped */ .background-customizable, .label-customizable { background-color: rgb(255 255 255 / 90%) !important; }',
    ].join('\n');
    assert.equal((await c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: template }))).UICustomization!.CSS, template);
  });

  it('CSS that could load anything, other selectors, at-rules, escapes or HTML: InvalidParameterException, nothing written', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    await c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS }));
    const refused = async (css: string, why: string) =>
      assert.rejects(
        c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: css })),
        {
          name: 'InvalidParameterException',
          message: `The CSS is not allowed: ${why}.`,
        },
        css,
      );
    const loads = (fn: string) => `it contains ${fn}(), which would load a resource`;
    await refused('.background-customizable { background: url(/logout); }', loads('url'));
    await refused('.background-customizable { background: URL("/logout"); }', loads('url'));
    await refused('.background-customizable { background: url/**/(/logout); }', loads('url'));
    await refused('.background-customizable { background-image: image-set("/logout" 1x); }', loads('image-set'));
    await refused('.background-customizable { background-image: -webkit-image-set("/logout" 1x); }', loads('-webkit-image-set'));
    await refused('.background-customizable { width: expression(alert(1)); }', loads('expression'));
    await refused('@import "/logout";', 'it contains the at-rule @import (@import, @media and other at-rules are not allowed)');
    await refused(
      '@media print { .background-customizable { color: red; } }',
      'it contains the at-rule @media (@import, @media and other at-rules are not allowed)',
    );
    await refused('.background-customizable { background: u\\72l(/logout); }', 'it contains a backslash escape');
    await refused('@\\69mport "/logout";', 'it contains a backslash escape');
    await refused(
      '.background-customizable { color: red; } </style><script>alert(1)</script>',
      'it is not a list of rules of the form .class { declarations }',
    );
    const notListed = (s: string) =>
      `the selector "${s}" is not one of the customizable classes (.background-customizable, .submitButton-customizable and the others the developer guide lists)`;
    await refused('input[name=_csrf][value^="a"] { color: red; }', notListed('input[name=_csrf][value^="a"]'));
    await refused('.background-customizable, body { color: red; }', notListed('body'));
    await refused('.background-customizable input { color: red; }', notListed('.background-customizable input'));
    await refused('.label-customizable:hover { color: red; }', notListed('.label-customizable:hover'));
    await refused('.my-own-class { color: red; }', notListed('.my-own-class'));
    await refused('.background-customizable { & input[value^="a"] { color: red; } }', 'rules cannot be nested');
    await refused('.background-customizable { color: red;', 'a rule is not closed with }');
    await refused('color: red;', 'it is not a list of rules of the form .class { declarations }');
    assert.equal((await get(poolId, clientId)).CSS, CSS, 'the earlier CSS stays');
  });

  it('CSS stored before the check (a row that fails it) is not served to the pages', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    const served = async () => (await fetch(`${c.url}/hosted-ui/custom.css?client_id=${clientId}`)).status;
    await c.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS }));
    assert.equal(await served(), 200);
    const stored = (await c.deps.store.uiCustomizations.own(poolId, clientId))!;
    await c.deps.store.uiCustomizations.put({ ...stored, css: '.background-customizable { background: url(/logout); }' });
    assert.equal(await served(), 404);
  });
});
