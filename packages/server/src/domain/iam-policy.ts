// Operator access policies in IAM's grammar, and their evaluation.
//
// A document is {Version, Statement[]} where each statement has an Effect
// (Allow or Deny), Action or NotAction, Resource or NotResource, and an
// optional Condition. Cognate understands the parts of that grammar that mean
// something for its API: actions `cognito-idp:<Operation>` and
// `cognate:<Operation>` (matched case-insensitively, `*` and `?` wildcards, as
// IAM does), resource ARNs with wildcards (matched case-sensitively), and the
// IpAddress / NotIpAddress conditions on `aws:SourceIp`. Anything else is
// refused when the policy is attached rather than silently ignored: a
// condition Cognate cannot evaluate would otherwise make a Deny never apply
// or an Allow always apply.
//
// Evaluation follows IAM's logic: an explicit Deny in any statement wins; else
// an Allow in some statement allows; else the request is implicitly denied.
import { BlockList, isIP } from 'node:net';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  /** Operator (IpAddress, NotIpAddress) → condition key (aws:SourceIp) → values. */
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export interface PolicyRequest {
  /** `cognito-idp:AdminGetUser`, `cognate:ConfirmDeletion`, … */
  action: string;
  /** The pool's ARN, or `*` for calls on no particular resource. */
  resource: string;
  sourceIp: string;
}

export type PolicyEffect = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** IAM's MalformedPolicyDocument: the document was refused when attached. */
export class MalformedPolicyDocument extends Error {
  override readonly name = 'MalformedPolicyDocument';
}

/** IAM's size limit for a managed policy, counted without white space. */
export const MAX_POLICY_CHARS = 6144;
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const VENDORS = new Set(['cognito-idp', 'cognate']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal']);
const CONDITION_OPERATORS = new Map([
  ['ipaddress', 'IpAddress'],
  ['notipaddress', 'NotIpAddress'],
]);

function malformed(message: string): never {
  throw new MalformedPolicyDocument(message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string or a non-empty list of strings, as IAM allows for Action, Resource and condition values. */
function stringList(value: unknown, field: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v.length > 0)) {
    malformed(`${field} must be a string or a non-empty list of strings.`);
  }
  return list as string[];
}

function checkAction(action: string): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  const vendor = action.slice(0, colon).toLowerCase();
  if (colon < 1 || !/^[A-Za-z0-9*?]+$/.test(action.slice(colon + 1)))
    malformed(`Actions/Conditions must be prefaced by a vendor, e.g., cognito-idp. Action: ${action}`);
  if (!VENDORS.has(vendor)) malformed(`Vendor ${action.slice(0, colon)} is not valid: Cognate's actions are cognito-idp:* and cognate:*.`);
}

function checkResource(resource: string): void {
  if (resource === '*') return;
  if (!resource.startsWith('arn:') || resource.split(':').length < 6) malformed(`Resource ${resource} must be in ARN format or "*".`);
}

/** A CIDR block or a single address, IPv4 or IPv6. */
function parseCidr(value: string): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } {
  const [address = '', prefixText, extra] = value.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) malformed(`Invalid IP address or CIDR block in condition: ${value}`);
  const max = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) malformed(`Invalid IP address or CIDR block in condition: ${value}`);
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) malformed(`Invalid IP address or CIDR block in condition: ${value}`);
  return { address, prefix, type: family === 4 ? 'ipv4' : 'ipv6' };
}

function parseCondition(value: unknown): Record<string, Record<string, string[]>> {
  if (!isRecord(value) || Object.keys(value).length === 0) malformed('Condition must be an object of condition operators.');
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, block] of Object.entries(value)) {
    const canonical = CONDITION_OPERATORS.get(operator.toLowerCase());
    if (!canonical) malformed(`Condition operator ${operator} is not supported: Cognate evaluates IpAddress and NotIpAddress on aws:SourceIp.`);
    if (!isRecord(block) || Object.keys(block).length === 0) malformed(`Condition ${operator} must map condition keys to values.`);
    const keys: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(block)) {
      if (key.toLowerCase() !== 'aws:sourceip') malformed(`Condition key ${key} is not supported with ${canonical}: use aws:SourceIp.`);
      const list = stringList(values, `Condition ${canonical} ${key}`);
      list.forEach(parseCidr);
      keys['aws:SourceIp'] = [...(keys['aws:SourceIp'] ?? []), ...list];
    }
    out[canonical] = keys;
  }
  return out;
}

function parseStatement(raw: unknown, index: number): PolicyStatement {
  if (!isRecord(raw)) malformed(`Statement ${index + 1} must be an object.`);
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) malformed(`Statement ${index + 1} has an unknown field: ${key}.`);
  if ('Principal' in raw || 'NotPrincipal' in raw) malformed('Policy document should not specify a principal.');
  if (raw['Effect'] !== 'Allow' && raw['Effect'] !== 'Deny') malformed(`Statement ${index + 1}: Effect must be Allow or Deny.`);
  const statement: PolicyStatement = { Effect: raw['Effect'] };
  if (raw['Sid'] !== undefined) {
    if (typeof raw['Sid'] !== 'string' || !/^[A-Za-z0-9]*$/.test(raw['Sid'])) malformed('Statement IDs (SID) must be alpha-numeric.');
    statement.Sid = raw['Sid'];
  }
  if ('Action' in raw === 'NotAction' in raw) malformed(`Statement ${index + 1} must have exactly one of Action and NotAction.`);
  if ('Resource' in raw === 'NotResource' in raw) malformed(`Statement ${index + 1} must have exactly one of Resource and NotResource.`);
  for (const field of ['Action', 'NotAction'] as const) {
    if (!(field in raw)) continue;
    statement[field] = stringList(raw[field], field);
    for (const action of statement[field]) checkAction(action);
  }
  for (const field of ['Resource', 'NotResource'] as const) {
    if (!(field in raw)) continue;
    statement[field] = stringList(raw[field], field);
    for (const resource of statement[field]) checkResource(resource);
  }
  if ('Condition' in raw) statement.Condition = parseCondition(raw['Condition']);
  return statement;
}

/**
 * Parses and checks a policy document (JSON text or an already parsed
 * value), returning it normalised (every list a list, operators in their
 * canonical case). Throws MalformedPolicyDocument saying what is wrong.
 */
export function parsePolicy(input: string | unknown): PolicyDocument {
  let raw: unknown = input;
  if (typeof input === 'string') {
    if (input.replace(/\s+/g, '').length > MAX_POLICY_CHARS) malformed(`Cannot exceed quota for PolicySize: ${MAX_POLICY_CHARS}`);
    try {
      raw = JSON.parse(input);
    } catch {
      malformed('Syntax errors in policy.');
    }
  }
  if (!isRecord(raw)) malformed('Syntax errors in policy.');
  for (const key of Object.keys(raw)) if (key !== 'Version' && key !== 'Statement' && key !== 'Id') malformed(`Policy has an unknown field: ${key}.`);
  if (typeof raw['Version'] !== 'string' || !VERSIONS.has(raw['Version'])) malformed('The policy must contain a valid version string: 2012-10-17.');
  const statements = isRecord(raw['Statement']) ? [raw['Statement']] : raw['Statement'];
  if (!Array.isArray(statements) || statements.length === 0) malformed('Missing required field Statement.');
  const parsed = statements.map(parseStatement);
  const sids = parsed.map((s) => s.Sid).filter((s): s is string => s !== undefined && s !== '');
  if (new Set(sids).size !== sids.length) malformed('Statement IDs (SID) in a single policy must be unique.');
  return { Version: raw['Version'], Statement: parsed };
}

/** `*` matches any run of characters, `?` exactly one; everything else literally. */
function globMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}

const actionMatches = (patterns: string[], action: string) => patterns.some((p) => globMatch(p, action, true));
const resourceMatches = (patterns: string[], resource: string) => patterns.some((p) => globMatch(p, resource, false));

/** An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; compare it as the IPv4 address it is. */
function normalizeIp(ip: string): { address: string; type: 'ipv4' | 'ipv6' } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  const family = isIP(address);
  return family ? { address, type: family === 4 ? 'ipv4' : 'ipv6' } : null;
}

function inRanges(ip: string, ranges: string[]): boolean {
  const client = normalizeIp(ip);
  if (!client) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const { address, prefix, type } = parseCidr(range);
    list.addSubnet(address, prefix, type);
  }
  return list.check(client.address, client.type);
}

// Operators are ANDed, keys within an operator ANDed, values of a key ORed.
function conditionHolds(condition: PolicyStatement['Condition'], request: PolicyRequest): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.values(keys).every((ranges) => (operator === 'IpAddress' ? inRanges(request.sourceIp, ranges) : !inRanges(request.sourceIp, ranges))),
  );
}

/** Whether the statement applies to the request (its Effect aside). */
export function statementApplies(s: PolicyStatement, request: PolicyRequest): boolean {
  const action = s.Action ? actionMatches(s.Action, request.action) : !actionMatches(s.NotAction!, request.action);
  const resource = s.Resource ? resourceMatches(s.Resource, request.resource) : !resourceMatches(s.NotResource!, request.resource);
  return action && resource && conditionHolds(s.Condition, request);
}

/** IAM's decision over a set of policies: explicit deny, else allow, else implicit deny. */
export function evaluate(policies: PolicyDocument[], request: PolicyRequest): PolicyEffect {
  const applying = policies.flatMap((p) => p.Statement).filter((s) => statementApplies(s, request));
  if (applying.some((s) => s.Effect === 'Deny')) return 'ExplicitDeny';
  return applying.some((s) => s.Effect === 'Allow') ? 'Allow' : 'ImplicitDeny';
}

/** A guardrail (like a service control policy here) only takes away: every statement must be a Deny. */
export function parseGuardrail(input: string | unknown): PolicyDocument {
  const doc = parsePolicy(input);
  if (doc.Statement.some((s) => s.Effect !== 'Deny'))
    malformed('A guardrail policy may only contain Deny statements: it can take permissions away, never grant them.');
  return doc;
}
