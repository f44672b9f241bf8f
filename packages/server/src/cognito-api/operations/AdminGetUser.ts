import type { AdminGetUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { attributeList } from '../../domain/user.ts';
import { mfaSummary } from '../../services/mfa.ts';
import { requirePool, requireUser } from '../lookups.ts';
import { operatorOperation } from '../operation.ts';
import { epochSeconds, type Wire } from '../wire.ts';

// Username may be the username or an alias / username attribute (requireUser).
// The MFA members are left out until a user has MFA configured, as Cognito does.
export default operatorOperation<Wire<AdminGetUserRequest>>('AdminGetUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const user = await requireUser(ctx.store, pool, input.Username!);
  const mfaOptions = await ctx.store.events.mfaOptions(user.sub);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
    // Legacy SMS MFAOptions (AdminSetUserSettings), only when set.
    ...(mfaOptions.length ? { MFAOptions: mfaOptions } : {}),
    // UserMFASettingList / PreferredMfaSetting (SetUserMFAPreference), only when a factor is on.
    ...(await mfaSummary(ctx, user)),
  };
});
