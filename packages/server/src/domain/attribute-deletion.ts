import { Errors } from '../errors/cognito-error.ts';
import type { AppClient } from './client-settings.ts';
import type { Pool } from './pool-settings.ts';

const CONTACTS = ['email', 'phone_number'];

/**
 * The attribute rows AdminDeleteUserAttributes / DeleteUserAttributes remove
 * for the names given, checked against the pool schema with the texts
 * UpdateUserAttributes uses: `sub` and immutable attributes cannot change,
 * required attributes cannot go (the user would no longer conform to the
 * schema), unknown names do not exist. Users are further held to the
 * client's WriteAttributes, may not touch developer-only attributes, and may
 * not delete the *_verified flags. Deleting email or phone_number deletes its
 * verified flag too: the flag belongs to the value, and an alias stops
 * signing in with it (lookups only match present, verified values).
 */
export function attributesToDelete(pool: Pool, names: readonly string[], opts: { who: 'user' | 'operator'; client?: AppClient }): string[] {
  const problems: string[] = [];
  const out = new Set<string>();
  for (const name of names) {
    const schema = pool.settings.SchemaAttributes?.find((a) => a.Name === name);
    if (!schema || (opts.who === 'user' && schema.DeveloperOnlyAttribute)) {
      problems.push(`${name}: Attribute does not exist in the schema.`);
      continue;
    }
    if (name === 'sub' || schema.Mutable === false) throw Errors.InvalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    if (opts.who === 'user') {
      const writable = opts.client?.settings.WriteAttributes;
      if ((writable?.length && !writable.includes(name)) || name.endsWith('_verified'))
        throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');
    }
    if (schema.Required) problems.push(`${name}: The attribute is required`);
    out.add(name);
    if (CONTACTS.includes(name)) out.add(`${name}_verified`);
  }
  if (problems.length) throw Errors.InvalidParameter(`Attributes did not conform to the schema: ${problems.map((p) => `${p}\n`).join('')}`);
  return [...out];
}
