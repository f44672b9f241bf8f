import type { AppClient } from './client-settings.ts';
import type { Pool } from './pool-settings.ts';
import type { User } from './user.ts';

// ID-token claims from a user's attributes, as Cognito writes them: the
// *_verified flags are booleans, updated_at a number, everything else
// (custom attributes included) a string; only attributes the client may read.
export function idTokenClaims(pool: Pool, client: AppClient, user: User): Record<string, unknown> {
  const readable = client.settings.ReadAttributes;
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name !== 'sub' && readable?.length && !readable.includes(name)) continue;
    const schema = pool.settings.SchemaAttributes?.find((a) => a.Name === name);
    if (schema?.DeveloperOnlyAttribute) continue;
    if (schema?.AttributeDataType === 'Boolean') claims[name] = value === 'true';
    else if (name === 'updated_at') claims[name] = Number(value);
    else claims[name] = value;
  }
  claims['cognito:username'] = user.username;
  return claims;
}
