import { Errors } from '../errors/cognito-error.ts';

// ListUsers' Filter grammar: `AttributeName Filter-Type "AttributeValue"`, where
// Filter-Type is `=` (exact) or `^=` (starts with), and an empty filter lists
// everyone. Only these attributes are searchable (AWS ListUsers reference).
export const SEARCHABLE = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;

export type Searchable = (typeof SEARCHABLE)[number];

export interface UserFilter {
  attribute: Searchable;
  prefix: boolean;
  value: string;
}

// The value is double-quoted; inside it a backslash escapes the next character
// (`\"`, `\\`). Spaces around the operator are optional.
const GRAMMAR = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/su;

export function parseUserFilter(filter: string | undefined): UserFilter | null {
  if (filter === undefined || filter.trim() === '') return null;
  const m = GRAMMAR.exec(filter);
  if (!m) throw Errors.InvalidParameter('Error while parsing filter.');
  const attribute = m[1]!;
  if (!(SEARCHABLE as readonly string[]).includes(attribute)) {
    throw Errors.InvalidParameter(`Invalid search attribute: ${attribute}`);
  }
  const value = m[3]!.replace(/\\(.)/gsu, '$1');
  return { attribute: attribute as Searchable, prefix: m[2] === '^=', value };
}
