import { readFileSync } from 'node:fs';
import { Errors } from '../errors/cognito-error.ts';

// Request validation driven by an AWS API model (botocore's, extracted by
// scripts/extract-model.mjs; the model is a parameter, so every API spoken on
// the AWS-JSON front door can bring its own): wrong JSON types are SerializationException,
// missing required members and length, range, enum and pattern violations are
// InvalidParameterException worded as AWS words them ("1 validation error
// detected: Value null at 'clientId' failed to satisfy constraint: Member must
// not be null"). Unknown members are ignored, as AWS does, so newer SDKs that
// send newer fields keep working.

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob';
  required?: string[];
  members?: Record<string, string>;
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
}

export interface Model {
  metadata: { targetPrefix: string; apiVersion?: string };
  operations: Record<string, { input?: string; output?: string; errors: string[] }>;
  shapes: Record<string, Shape>;
}

/** Reads a model extracted by scripts/extract-model.mjs. */
export const readModel = (file: URL): Model => JSON.parse(readFileSync(file, 'utf8')) as Model;

/** A model with a supplement's operations and shapes added, a supplement shape replacing the model's of the same name. */
export const withSupplement = (model: Model, supplement: Pick<Model, 'operations' | 'shapes'>): Model => ({
  ...model,
  operations: { ...model.operations, ...supplement.operations },
  shapes: { ...model.shapes, ...supplement.shapes },
});

// Java patterns as JavaScript: full-match, Unicode, and `(?s)` as the s flag.
const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    const dotAll = pattern.startsWith('(?s)');
    const body = dotAll ? pattern.slice(4) : pattern;
    re = new RegExp(`^(?:${body})$`, dotAll ? 'us' : 'u');
    patterns.set(pattern, re);
  }
  return re;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

export function validateInput(model: Model, operation: string, input: unknown): void {
  const op = model.operations[operation];
  if (!op?.input) return;
  const problems: string[] = [];
  check(model, op.input, input, '', problems);
  if (problems.length) {
    const n = problems.length;
    throw Errors.InvalidParameter(`${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
}

// The texts AWS's JSON deserializer answers with for a value of the wrong type.
function typeError(value: unknown, expected: 'structure' | 'list' | 'map' | 'String' | 'Integer' | 'Boolean' | 'Timestamp'): Error {
  if (Array.isArray(value)) return Errors.Serialization('Start of list found where not expected');
  if (typeof value === 'object' && value !== null) return Errors.Serialization('Start of structure or map found where not expected.');
  if (expected === 'structure' || expected === 'map') return Errors.Serialization('Expected map or null');
  if (expected === 'list') return Errors.Serialization('Expected list or null');
  const token = typeof value === 'number' ? 'NUMBER_VALUE' : typeof value === 'boolean' ? (value ? 'TRUE_VALUE' : 'FALSE_VALUE') : 'STRING_VALUE';
  return Errors.Serialization(`${token} can not be converted to ${expected === 'Integer' ? 'an' : 'a'} ${expected}`);
}

function describe(shape: Shape, value: unknown): string {
  if (shape.sensitive) return 'Value at';
  if (typeof value === 'string') return `Value '${value}' at`;
  return `Value '${JSON.stringify(value)}' at`;
}

function check(model: Model, shapeName: string, value: unknown, path: string, problems: string[]): void {
  const shape = model.shapes[shapeName];
  if (!shape) return;
  if (value === null || value === undefined) return;
  const fail = (constraint: string) => problems.push(`${describe(shape, value)} '${path}' failed to satisfy constraint: ${constraint}`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, 'structure');
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) if (FORBIDDEN_KEYS.has(key)) throw Errors.Serialization(`Reserved key at '${path || 'body'}'`);
      for (const req of shape.required ?? []) {
        if (obj[req] === undefined || obj[req] === null) {
          problems.push(`Value null at '${join(path, lowerFirst(req))}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
        if (Object.hasOwn(obj, member)) check(model, memberShape, obj[member], join(path, lowerFirst(member)), problems);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw typeError(value, 'list');
      lengthChecks(shape, value.length, fail);
      for (const [i, item] of value.entries()) check(model, shape.member!, item, `${path}.${i + 1}.member`, problems);
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, 'map');
      const entries = Object.entries(value as Record<string, unknown>);
      for (const [k] of entries) if (FORBIDDEN_KEYS.has(k)) throw Errors.Serialization(`Reserved key at '${path || 'body'}'`);
      lengthChecks(shape, entries.length, fail);
      for (const [k, v] of entries) {
        check(model, shape.key!, k, `${path}.${k}.key`, problems);
        check(model, shape.value!, v, `${path}.${k}.value`, problems);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw typeError(value, 'String');
      lengthChecks(shape, value.length, fail);
      if (shape.enum && !shape.enum.includes(value)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern && !compiled(shape.pattern).test(value)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(value, 'Integer');
      if (shape.min !== undefined && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(value, 'Boolean');
      return;
    case 'timestamp':
      if (typeof value !== 'number') throw typeError(value, 'Timestamp');
      return;
    case 'blob':
      if (typeof value !== 'string') throw typeError(value, 'String');
      return;
  }
}

function lengthChecks(shape: Shape, length: number, fail: (c: string) => void): void {
  if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
}

const join = (path: string, member: string): string => (path ? `${path}.${member}` : member);
