import { Errors } from '../errors/cognito-error.ts';

// Input validation for CognateService operations. They are not in the
// botocore model, so each declares a small schema here, and a failure reads
// exactly like the model-driven validation of the Cognito namespace
// (aws-json/validate.ts): a value of the wrong JSON type is a
// SerializationException, a missing member or a broken constraint an
// InvalidParameterException "N validation error(s) detected: …". Unknown
// members are ignored, as AWS ignores them.

interface StringField {
  type: 'string';
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  /** Left out of error messages (as the model's `sensitive` members are). */
  sensitive?: boolean;
}

interface IntegerField {
  type: 'integer';
  required?: boolean;
  min?: number;
  max?: number;
}

/** A JSON array of strings (each checked as a string; the operation judges the content). */
interface StringListField {
  type: 'stringList';
  required?: boolean;
  maxItems?: number;
  itemMax?: number;
}

interface BooleanField {
  type: 'boolean';
  required?: boolean;
}

export type Field = StringField | IntegerField | StringListField | BooleanField;
export type Schema = Readonly<Record<string, Field>>;

type ValueOf<F extends Field> = F extends StringField ? string : F extends StringListField ? string[] : F extends BooleanField ? boolean : number;
type RequiredKeys<S extends Schema> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[keyof S];

/** The input type a schema describes: required members present, the others optional. */
export type InputOf<S extends Schema> = { [K in RequiredKeys<S>]: ValueOf<S[K]> } & { [K in Exclude<keyof S, RequiredKeys<S>>]?: ValueOf<S[K]> };

// The same constraints the Cognito model puts on these members.
export const UserPoolIdField = { type: 'string', required: true, min: 1, max: 55, pattern: '[\\w-]+_[0-9a-zA-Z]+' } as const satisfies Field;
export const UsernameField = {
  type: 'string',
  required: true,
  min: 1,
  max: 128,
  pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
  sensitive: true,
} as const satisfies Field;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function typeError(value: unknown, expected: 'String' | 'Integer' | 'Boolean' | 'Collection'): Error {
  if (Array.isArray(value) && expected !== 'Collection') return Errors.Serialization('Start of list found where not expected');
  if (typeof value === 'object' && value !== null) return Errors.Serialization('Start of structure or map found where not expected.');
  const token = typeof value === 'number' ? 'NUMBER_VALUE' : typeof value === 'boolean' ? (value ? 'TRUE_VALUE' : 'FALSE_VALUE') : 'STRING_VALUE';
  return Errors.Serialization(`${token} can not be converted to ${expected === 'Integer' ? 'an' : 'a'} ${expected}`);
}

export function validate<S extends Schema>(schema: S, input: Record<string, unknown>): InputOf<S> {
  for (const key of Object.keys(input)) if (FORBIDDEN_KEYS.has(key)) throw Errors.Serialization("Reserved key at 'body'");
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [member, field] of Object.entries(schema)) {
    const value = Object.hasOwn(input, member) ? input[member] : undefined;
    const path = lowerFirst(member);
    if (value === undefined || value === null) {
      if (field.required) problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    const shown = field.type === 'string' && field.sensitive ? 'Value at' : `Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at`;
    const fail = (constraint: string) => problems.push(`${shown} '${path}' failed to satisfy constraint: ${constraint}`);
    if (field.type === 'string') {
      if (typeof value !== 'string') throw typeError(value, 'String');
      if (field.min !== undefined && value.length < field.min) fail(`Member must have length greater than or equal to ${field.min}`);
      if (field.max !== undefined && value.length > field.max) fail(`Member must have length less than or equal to ${field.max}`);
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) fail(`Member must satisfy regular expression pattern: ${field.pattern}`);
    } else if (field.type === 'stringList') {
      if (!Array.isArray(value)) throw typeError(value, 'Collection');
      for (const item of value) if (typeof item !== 'string') throw typeError(item, 'String');
      if (field.maxItems !== undefined && value.length > field.maxItems) fail(`Member must have length less than or equal to ${field.maxItems}`);
      if (field.itemMax !== undefined && value.some((v: string) => v.length > field.itemMax!))
        fail(`Member must satisfy constraint: [Member must have length less than or equal to ${field.itemMax}]`);
    } else if (field.type === 'boolean') {
      if (typeof value !== 'boolean') throw typeError(value, 'Boolean');
    } else {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(value, 'Integer');
      if (field.min !== undefined && value < field.min) fail(`Member must have value greater than or equal to ${field.min}`);
      if (field.max !== undefined && value > field.max) fail(`Member must have value less than or equal to ${field.max}`);
    }
    out[member] = value;
  }
  if (problems.length) {
    const n = problems.length;
    throw Errors.InvalidParameter(`${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
  return out as InputOf<S>;
}
