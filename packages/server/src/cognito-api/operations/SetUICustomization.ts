import { checkUiCss } from '../../domain/ui-css.ts';
import { requirePool } from '../../services/lookups.ts';
import { customizationTarget, describeCustomization, imageTypeOf } from '../ui-customization.ts';
import { operatorOperation } from '../operation.ts';

// Sets the classic hosted UI's CSS and logo for one client, or for the whole
// pool without ClientId ('ALL'); a client's own settings win over the pool's
// (API reference, SetUICustomization). CSS is checked (domain/ui-css.ts),
// then stored as given. ImageFile is a blob, base64 in the JSON protocol.
// Both members replace what was there.
export default operatorOperation('SetUICustomization', async (input, ctx) => {
  if (input.CSS !== undefined) checkUiCss(input.CSS);
  const image = input.ImageFile === undefined ? null : Buffer.from(input.ImageFile, 'base64');
  const imageType = image === null ? null : imageTypeOf(image);
  return ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const clientId = await customizationTarget(tx, input.UserPoolId, input.ClientId);
    const now = ctx.clock.now();
    const existing = await tx.uiCustomizations.own(input.UserPoolId, clientId);
    const customization = {
      poolId: input.UserPoolId,
      clientId,
      css: input.CSS ?? null,
      imageFile: image,
      imageType,
      lastModified: now,
      creationDate: existing?.creationDate ?? now,
    };
    await tx.uiCustomizations.put(customization);
    return { UICustomization: describeCustomization(customization, ctx.config.publicUrl) };
  });
});
