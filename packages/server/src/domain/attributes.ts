import { Errors } from '../errors/cognito-error.ts';
import type { AppClient } from './client-settings.ts';
import type { Pool } from './pool-settings.ts';
import type { SchemaAttribute } from './standard-attributes.ts';

export interface AttributeInput {
  Name?: string | undefined;
  Value?: string | undefined;
}

const schemaOf = (pool: Pool, name: string): SchemaAttribute | undefined => pool.settings.SchemaAttributes?.find((a) => a.Name === name);

const EMAIL = /^[^\s@]+@[^\s@]+$/u;
const PHONE = /^\+[0-9]{4,15}$/;

/**
 * Checks attribute names and values against the pool schema and returns them
 * as a record. `who` says whose write it is: users may not write immutable
 * (after creation), developer-only or `sub`, nor attributes outside the
 * client's write list; operators may write anything but `sub`.
 */
export function validateAttributes(
  pool: Pool,
  input: readonly AttributeInput[] | undefined,
  opts: { who: 'user' | 'operator'; creating: boolean; client?: AppClient },
): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const { Name: name, Value: value } of input ?? []) {
    if (!name) continue;
    if (value === undefined || value === null) {
      throw Errors.InvalidParameter(`Attribute value for ${name} must not be null`);
    }
    const schema = schemaOf(pool, name);
    if (!schema) {
      problems.push(`${name}: Attribute does not exist in the schema.`);
      continue;
    }
    if (name === 'sub') throw Errors.InvalidParameter('Cannot modify the non-mutable attribute sub');
    if (!opts.creating && schema.Mutable === false) throw Errors.InvalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    if (opts.who === 'user') {
      if (schema.DeveloperOnlyAttribute) problems.push(`${name}: Attribute does not exist in the schema.`);
      const writable = opts.client?.settings.WriteAttributes;
      if (writable?.length && !writable.includes(name)) throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');
    }
    problems.push(...valueProblems(schema, name, value));
    out[name] = value;
  }
  if (problems.length) throw Errors.InvalidParameter(`Attributes did not conform to the schema: ${problems.map((p) => `${p}\n`).join('')}`);
  return out;
}

function valueProblems(schema: SchemaAttribute, name: string, value: string): string[] {
  if (schema.AttributeDataType === 'Boolean' && value !== 'true' && value !== 'false') return [`${name}: Attribute value must be true or false`];
  if (schema.AttributeDataType === 'Number') {
    if (!/^-?\d+(\.\d+)?$/.test(value)) return [`${name}: Number attribute must be a number`];
    const n = Number(value);
    const c = schema.NumberAttributeConstraints;
    if ((c?.MinValue !== undefined && n < Number(c.MinValue)) || (c?.MaxValue !== undefined && n > Number(c.MaxValue))) {
      return [`${name}: Number is out of the allowed range`];
    }
    return [];
  }
  const c = schema.StringAttributeConstraints;
  if (c?.MaxLength !== undefined && value.length > Number(c.MaxLength)) return [`${name}: String is too long`];
  if (c?.MinLength !== undefined && value.length < Number(c.MinLength)) return [`${name}: String is too short`];
  if (name === 'email' && !EMAIL.test(value)) throw Errors.InvalidParameter('Invalid email address format.');
  if (name === 'phone_number' && !PHONE.test(value)) throw Errors.InvalidParameter('Invalid phone number format.');
  return [];
}

/** Required attributes absent from the user's final set, in Cognito's wording. */
export function assertRequiredPresent(pool: Pool, attrs: Record<string, string>): void {
  const missing = (pool.settings.SchemaAttributes ?? []).filter((a) => a.Required && a.Name !== 'sub' && !attrs[a.Name ?? '']);
  if (missing.length) {
    throw Errors.InvalidParameter(`Attributes did not conform to the schema: ${missing.map((a) => `${a.Name}: The attribute is required\n`).join('')}`);
  }
}

export const isEmail = (s: string): boolean => EMAIL.test(s);
export const isPhone = (s: string): boolean => PHONE.test(s);
