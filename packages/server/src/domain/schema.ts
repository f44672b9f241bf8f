import { Errors } from '../errors/cognito-error.ts';
import { STANDARD_ATTRIBUTES, STANDARD_NAMES, type SchemaAttribute } from './standard-attributes.ts';

// A pool's attribute schema: CreateUserPool's Schema merged over the standard
// attributes, and AddCustomAttributes appending to it. Cognito's refusals,
// all InvalidParameterException, in the order they are checked:
//
// - a custom attribute without an AttributeDataType: "Invalid AttributeDataType
//   input, consider using the provided AttributeDataType enum." (text seen from
//   real Cognito in aws-amplify/amplify-cli#9525 and amplify-backend#3299; the
//   trigger as moto has it);
// - a standard attribute whose AttributeDataType differs from the standard's,
//   or with DeveloperOnlyAttribute true: "You can not change AttributeDataType
//   or set developerOnlyAttribute for standard schema attribute <name>" (text
//   from real Cognito, hashicorp/terraform-provider-aws#23181);
// - a custom attribute marked Required: "Required custom attributes are not
//   supported currently." (real Cognito, boto/boto3#2317);
// - constraints of the attribute's own type that are not numbers, a string
//   length above 2048, a minimum above its maximum. These texts are moto's
//   (getmoto/moto moto/cognitoidp/models.py), unconfirmed against Cognito.
//
// Where Cognito's answer is unknown the schema is accepted: constraints of the
// other type (NumberAttributeConstraints on a String) are dropped, not
// refused, as moto has it; empty-string bounds count as absent; number bounds
// may be negative or fractional.

/** Cognito's cap on custom attributes per pool (documented quota). */
export const MAX_CUSTOM_ATTRIBUTES = 50;
/** The longest a string attribute can be; no bound may exceed it. */
const MAX_STRING_LENGTH = 2048;

const isCustom = (a: SchemaAttribute): boolean => /^(dev:)?custom:/.test(a.Name ?? '');
const WHOLE = /^\+?\d+$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** CreateUserPool: the standard attributes with the request's changes, then its custom attributes. */
export function mergeSchema(requested: readonly SchemaAttribute[]): SchemaAttribute[] {
  const merged = STANDARD_ATTRIBUTES.map((a) => ({ ...a }));
  const seen = new Set<string>();
  for (const attr of requested) {
    const name = attr.Name ?? '';
    // Wording unconfirmed: Cognate's own text.
    if (seen.has(name)) throw Errors.InvalidParameter(`Duplicate attribute name in schema: ${name}`);
    seen.add(name);
    if (STANDARD_NAMES.has(name)) {
      const i = merged.findIndex((a) => a.Name === name);
      merged[i] = standardAttribute(merged[i]!, attr);
      continue;
    }
    merged.push(customAttribute(attr));
  }
  assertCustomCount(merged);
  return merged;
}

/**
 * A standard attribute with the request's Required, Mutable and constraints.
 * Its data type and developer-only flag are fixed; `sub` stays required and
 * immutable.
 */
function standardAttribute(base: SchemaAttribute, attr: SchemaAttribute): SchemaAttribute {
  const name = base.Name ?? '';
  if ((attr.AttributeDataType !== undefined && attr.AttributeDataType !== base.AttributeDataType) || attr.DeveloperOnlyAttribute === true) {
    throw Errors.InvalidParameter(`You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`);
  }
  if (name === 'sub' && (attr.Mutable === true || attr.Required === false)) {
    // Wording unconfirmed: Cognate's own text.
    throw Errors.InvalidParameter('sub is a required, immutable attribute.');
  }
  return {
    ...base,
    Required: attr.Required ?? base.Required,
    Mutable: attr.Mutable ?? base.Mutable,
    ...constraintsFor(name, base.AttributeDataType, attr, base),
  };
}

/**
 * A custom attribute as the pool stores and reports it: named `custom:<name>`,
 * or `dev:custom:<name>` when developer-only (as in the CreateUserPool sample
 * response), never required, with its type's constraints checked.
 */
export function customAttribute(attr: SchemaAttribute): SchemaAttribute {
  const type = attr.AttributeDataType;
  if (type === undefined) throw Errors.InvalidParameter('Invalid AttributeDataType input, consider using the provided AttributeDataType enum.');
  if (attr.Required) throw Errors.InvalidParameter('Required custom attributes are not supported currently.');
  const bare = (attr.Name ?? '').replace(/^(dev:)?custom:/, '');
  const developerOnly = attr.DeveloperOnlyAttribute ?? false;
  const name = developerOnly ? `dev:custom:${bare}` : `custom:${bare}`;
  return {
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: developerOnly,
    Mutable: attr.Mutable ?? true,
    Required: false,
    ...constraintsFor(name, type, attr, {}),
  };
}

/**
 * The constraints an attribute of `type` keeps: the request's, checked, when
 * it gives them, else the fallback's. Only String and Number take any.
 */
function constraintsFor(
  name: string,
  type: string | undefined,
  attr: SchemaAttribute,
  fallback: SchemaAttribute,
): Pick<SchemaAttribute, 'StringAttributeConstraints' | 'NumberAttributeConstraints'> {
  if (type === 'String') {
    const given = attr.StringAttributeConstraints;
    if (given === undefined) return fallback.StringAttributeConstraints ? { StringAttributeConstraints: fallback.StringAttributeConstraints } : {};
    const c = present(given);
    if ([c.MinLength, c.MaxLength].some((v) => v !== undefined && !WHOLE.test(v))) {
      throw Errors.InvalidParameter(`Invalid StringAttributeConstraints for schema attribute ${name}`);
    }
    const min = c.MinLength === undefined ? undefined : Number(c.MinLength);
    const max = c.MaxLength === undefined ? undefined : Number(c.MaxLength);
    if ((min ?? 0) > MAX_STRING_LENGTH || (max ?? 0) > MAX_STRING_LENGTH) {
      throw Errors.InvalidParameter(`user.${name}: String attributes cannot have a length of more than ${MAX_STRING_LENGTH}`);
    }
    if (min !== undefined && max !== undefined && min > max) throw Errors.InvalidParameter(`user.${name}: Max length cannot be less than min length.`);
    return { StringAttributeConstraints: c };
  }
  if (type === 'Number') {
    const given = attr.NumberAttributeConstraints;
    if (given === undefined) return fallback.NumberAttributeConstraints ? { NumberAttributeConstraints: fallback.NumberAttributeConstraints } : {};
    const c = present(given);
    if ([c.MinValue, c.MaxValue].some((v) => v !== undefined && !NUMBER.test(v))) {
      throw Errors.InvalidParameter(`Invalid NumberAttributeConstraints for schema attribute ${name}`);
    }
    if (c.MinValue !== undefined && c.MaxValue !== undefined && Number(c.MinValue) > Number(c.MaxValue)) {
      throw Errors.InvalidParameter(`user.${name}: Max value cannot be less than min value.`);
    }
    return { NumberAttributeConstraints: c };
  }
  return {};
}

/** The bounds actually given: an empty string counts as absent. */
function present<T extends object>(constraints: T): T {
  return Object.fromEntries(Object.entries(constraints).filter(([, v]) => v !== undefined && v !== '')) as T;
}

function assertCustomCount(schema: readonly SchemaAttribute[]): void {
  // Wording unconfirmed: Cognito documents the limit of 50, not the message.
  if (schema.filter(isCustom).length > MAX_CUSTOM_ATTRIBUTES)
    throw Errors.InvalidParameter(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
}

/**
 * AddCustomAttributes: the schema with the new attributes appended, each
 * checked as in CreateUserPool. A name already in the schema (in either form)
 * is refused: "custom:x: Existing attribute already has name custom:x." is
 * Cognito's text (jmaleonard/serverless-cognito-add-custom-attributes#3); the
 * form naming a `dev:custom:` attribute is moto's. So is going past 50 custom
 * attributes.
 */
export function withCustomAttributes(current: readonly SchemaAttribute[], requested: readonly SchemaAttribute[]): SchemaAttribute[] {
  const schema = [...current];
  for (const attr of requested) {
    const added = customAttribute(attr);
    const bare = (added.Name ?? '').replace(/^(dev:)?custom:/, '');
    const existing = schema.find((a) => a.Name === `custom:${bare}` || a.Name === `dev:custom:${bare}`);
    if (existing) throw Errors.InvalidParameter(`custom:${bare}: Existing attribute already has name ${existing.Name}.`);
    schema.push(added);
  }
  assertCustomCount(schema);
  return schema;
}
