import { attributeList } from '../../domain/user.ts';
import { userMfaFields } from '../../services/mfa.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import { epochSeconds } from '../../domain/wire.ts';

// Username may be the username or an alias / username attribute (requireUser).
// The MFA members are left out until a user has MFA configured, as Cognito does.
export default operatorOperation('AdminGetUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
    // MFAOptions (AdminSetUserSettings), UserMFASettingList / PreferredMfaSetting, each only when set.
    ...(await userMfaFields(ctx, user)),
  };
});
