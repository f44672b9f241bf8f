import { attributeList } from '../../domain/user.ts';
import { userMfaFields } from '../../services/mfa.ts';
import { accessTokenOperation } from '../operation.ts';

// The signed-in user's own record: the attributes the app client may read
// (its ReadAttributes, when set; `sub` always), never developer-only ones.
// The MFA members are left out while the user has no MFA, as Cognito does.
export default accessTokenOperation('GetUser', async (_input, ctx) => {
  const { user, pool, client, mfa } = ctx.caller;
  const readable = client.settings.ReadAttributes;
  const developerOnly = new Set((pool.settings.SchemaAttributes ?? []).filter((a) => a.DeveloperOnlyAttribute).map((a) => a.Name));
  const allowed = (name: string) => name === 'sub' || (!developerOnly.has(name) && (!readable?.length || readable.includes(name)));
  return { Username: user.username, UserAttributes: attributeList(user, allowed), ...(await userMfaFields(ctx, user, mfa)) };
});
