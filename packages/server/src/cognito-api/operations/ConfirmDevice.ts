import { Errors } from '../../errors/cognito-error.ts';
import { deviceNotFound, deviceVerifier } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';

// ConfirmDevice: the signed-in user adopts a DeviceKey that a sign-in of theirs
// handed out in NewDeviceMetadata, with the device's SRP verifier (sealed at
// rest). The pool's DeviceOnlyRememberedOnUserPrompt decides whether the
// device is remembered now (UserConfirmationNecessary false) or only once
// the user agrees through UpdateDeviceStatus (true). A key is confirmed once:
// a second ConfirmDevice cannot swap the verifier of a remembered device.
export default accessTokenOperation('ConfirmDevice', async (input, ctx) => {
  const { user, pool } = ctx.caller;
  const deviceKey = input.DeviceKey;
  const device = await ctx.store.devices.find(user.sub, deviceKey);
  if (!device) throw deviceNotFound();
  if (device.status !== 'pending') throw Errors.NotAuthorized('Device has already been confirmed.');
  const { salt, verifierSealed } = deviceVerifier(ctx.master, user.sub, deviceKey, input.DeviceSecretVerifierConfig);
  const onPrompt = pool.settings.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
  const confirmed = await ctx.store.devices.confirm(
    user.sub,
    deviceKey,
    {
      status: onPrompt ? 'not_remembered' : 'remembered',
      name: input.DeviceName ?? null,
      salt,
      verifier_sealed: verifierSealed,
      last_ip: ctx.request.sourceIp,
    },
    ctx.clock.now(),
  );
  if (!confirmed) throw Errors.NotAuthorized('Device has already been confirmed.');
  return { UserConfirmationNecessary: onPrompt };
});
