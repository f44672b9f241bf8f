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
});
