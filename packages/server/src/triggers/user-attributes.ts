import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';

/**
 * A stored user's attributes as Cognito puts them in a trigger's
 * `request.userAttributes` (post confirmation, pre and post authentication):
 * every attribute, `sub` included, plus `cognito:user_status`, and for a
 * verified email or phone number that is a sign-in alias (AliasAttributes)
 * `cognito:email_alias` / `cognito:phone_number_alias` holding it. The
 * developer guide shows only a few names; these extra keys are what real
 * events carry (the post confirmation events people log), so functions
 * written against Cognito find them here too.
 */
export function eventAttributesOf(pool: Pool, user: User): Record<string, string> {
  const out: Record<string, string> = { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status };
  for (const attr of ['email', 'phone_number'] as const) {
    const value = user.attributes[attr];
    if (value && user.attributes[`${attr}_verified`] === 'true' && pool.settings.AliasAttributes?.includes(attr)) out[`cognito:${attr}_alias`] = value;
  }
  return out;
}

/** `clientMetadata` as Cognito sends it: only when the call carried ClientMetadata. */
export const clientMetadataOf = (metadata: Record<string, string> | undefined): { clientMetadata?: Record<string, string> } =>
  metadata ? { clientMetadata: metadata } : {};
