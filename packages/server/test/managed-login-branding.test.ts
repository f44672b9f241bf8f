import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateManagedLoginBrandingCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteUserPoolClientCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  UpdateManagedLoginBrandingCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const SETTINGS = {
  components: { primaryButton: { lightMode: { defaults: { backgroundColor: '0972d3ff' } } } },
  categories: { global: { colorSchemeMode: 'LIGHT' } },
};
const LOGO = { Category: 'FORM_LOGO' as const, ColorMode: 'LIGHT' as const, Extension: 'PNG' as const, Bytes: Buffer.from('not really a png') };

describe('managed login branding', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  it('CreateManagedLoginBranding stores Settings and Assets as given; both Describe forms return them', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    const out = (await c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: SETTINGS, Assets: [LOGO] })))
      .ManagedLoginBranding!;
    assert.match(out.ManagedLoginBrandingId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(out.UserPoolId, poolId);
    assert.equal(out.UseCognitoProvidedValues, false);
    assert.deepEqual(out.Settings, SETTINGS);
    assert.deepEqual(out.Assets, [{ ...LOGO, Bytes: new Uint8Array(LOGO.Bytes) }]);
    const byId = (await c.admin.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: out.ManagedLoginBrandingId! })))
      .ManagedLoginBranding;
    assert.deepEqual(byId, out);
    const byClient = (await c.admin.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }))).ManagedLoginBranding;
    assert.deepEqual(byClient, out);
  });

  it('one style per client: ManagedLoginBrandingExistsException; UseCognitoProvidedValues with Settings: InvalidParameterException', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    await assert.rejects(
      c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true, Settings: SETTINGS })),
      {
        name: 'InvalidParameterException',
        message: 'Settings and Assets must be omitted when UseCognitoProvidedValues is true.',
      },
    );
    await c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }));
    await assert.rejects(c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: SETTINGS })), {
      name: 'ManagedLoginBrandingExistsException',
      message: `Managed login branding already exists for client ${clientId}.`,
    });
    await assert.rejects(c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })), {
      name: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient does not exist.',
    });
  });

  it('UpdateManagedLoginBranding replaces what is given; Delete removes; unknown IDs are ResourceNotFoundException', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    const id = (await c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: SETTINGS, Assets: [LOGO] })))
      .ManagedLoginBranding!.ManagedLoginBrandingId!;
    const changed = { categories: { global: { colorSchemeMode: 'DARK' } } };
    const out = (await c.admin.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id, Settings: changed })))
      .ManagedLoginBranding!;
    assert.deepEqual(out.Settings, changed);
    assert.equal(out.Assets?.length, 1, 'absent Assets kept');
    const reset = (
      await c.admin.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true }))
    ).ManagedLoginBranding!;
    assert.equal(reset.UseCognitoProvidedValues, true);
    assert.equal(reset.Settings, undefined);
    assert.deepEqual(reset.Assets, []);
    await c.admin.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }));
    const gone = { name: 'ResourceNotFoundException', message: `Managed login branding ${id} does not exist.` };
    await assert.rejects(c.admin.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })), gone);
    await assert.rejects(c.admin.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })), gone);
    await assert.rejects(c.admin.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId })), {
      name: 'ResourceNotFoundException',
      message: `Managed login branding for client ${clientId} does not exist.`,
    });
  });

  it('deleting the app client removes its style', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    await c.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }));
    await c.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.equal(await c.deps.store.managedLoginBranding.forClient(poolId, clientId), null);
  });
});
