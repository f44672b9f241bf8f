import { model } from '../cognito-api/model/validate.ts';

// Request parameters as the audit trail keeps them: every secret replaced by
// REDACTED before anything is stored. Two rules, so that neither a gap in the
// API model nor a new member slips a secret through:
//  1. The Cognito model's `sensitive` trait (passwords, secret hashes, tokens,
//     sessions, TOTP codes, attribute values, user context data), except the
//     two identifiers the model marks sensitive but an audit trail exists to
//     show: usernames and client ids.
//  2. A deny-list of member names that carry secrets without the trait
//     (confirmation codes, SRP verifiers and salts, IdP client secrets, …).
// Members the model does not know, and every value of AuthParameters and
// ChallengeResponses but USERNAME, are redacted by default. CognateService
// operations have no model: there, names matching SECRET_NAME are redacted.

export const REDACTED = '***';

/** Sensitive in the model, kept on purpose: they say who called, and are no credential. */
const IDENTIFIER_SHAPES = new Set(['UsernameType', 'ClientIdType']);

/** Member names whose values are secret (or could be), whatever their shape says. Enums (token validity units) are exempt. */
const DENY_MEMBERS = new Set([
  'Password',
  'TemporaryPassword',
  'PreviousPassword',
  'ProposedPassword',
  'ConfirmationCode',
  'Code',
  'UserCode',
  'SecretCode',
  'Session',
  'SecretHash',
  'ClientSecret',
  'AccessToken',
  'RefreshToken',
  'IdToken',
  'Token',
  'FeedbackToken',
  'PasswordVerifier',
  'Salt',
  'EncodedData',
  'HttpHeaders',
  'ProviderDetails',
  'Credential',
  'ClientMetadata',
  'NextToken',
  'PaginationToken',
]);

/** Maps whose keys are parameter names and whose values are secrets, USERNAME excepted. */
const PARAMETER_MAPS = new Set(['AuthParametersType', 'ChallengeResponsesType']);
const PUBLIC_PARAMETERS = new Set(['USERNAME']);

/** Names of CognateService members treated as secret (there is no model to consult). */
const SECRET_NAME = /pass|secret|token|code|session|verifier|salt|signature|credential|hash|key/i;
const COGNATE_IDENTIFIERS = new Set(['UserPoolId', 'Username', 'ClientId']);

const MAX_STRING = 1024;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clip = (s: string): string => (s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s);

/** The redacted parameters of a Cognito operation's request body. */
export function redactCognito(operation: string, body: unknown): Json {
  const input = model.operations[operation]?.input;
  if (!input) return REDACTED;
  return walk(input, body, '');
}

function walk(shapeName: string, value: unknown, member: string): Json {
  if (value === null || value === undefined) return null;
  const shape = model.shapes[shapeName];
  if (!shape) return REDACTED;
  if (DENY_MEMBERS.has(member) && !shape.enum) return REDACTED;
  if (PARAMETER_MAPS.has(shapeName)) {
    if (!isObject(value)) return REDACTED;
    return sortedObject(Object.keys(value), (k) => (PUBLIC_PARAMETERS.has(k) && typeof value[k] === 'string' ? clip(value[k] as string) : REDACTED));
  }
  if (shape.sensitive && !IDENTIFIER_SHAPES.has(shapeName)) return REDACTED;
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return REDACTED;
      const members = shape.members ?? {};
      // Members the model does not name are redacted: nothing says what they hold.
      return sortedObject(Object.keys(value), (k) => (Object.hasOwn(members, k) ? walk(members[k]!, value[k], k) : REDACTED));
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => walk(shape.member!, item, member)) : REDACTED;
    case 'map':
      if (!isObject(value)) return REDACTED;
      return sortedObject(Object.keys(value), (k) => walk(shape.value!, value[k], k));
    default:
      return primitive(value);
  }
}

/** The redacted parameters of a CognateService request body. */
export function redactCognate(body: unknown): Json {
  if (!isObject(body)) return REDACTED;
  return sortedObject(Object.keys(body), (k) => {
    const v = body[k];
    if (SECRET_NAME.test(k) && !COGNATE_IDENTIFIERS.has(k)) return REDACTED;
    return isObject(v) || Array.isArray(v) ? REDACTED : primitive(v);
  });
}

function primitive(value: unknown): Json {
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return REDACTED;
}

// Keys sorted, so equal parameters always serialise to the same text (the record's hash covers it).
function sortedObject(keys: string[], valueFor: (key: string) => Json): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const k of [...keys].sort()) {
    if (k === '__proto__') continue;
    out[k] = valueFor(k);
  }
  return out;
}
