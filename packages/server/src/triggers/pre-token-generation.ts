import type { Context } from '../context.ts';
import type { ClaimsHook, TokenClaims } from '../services/tokens.ts';
import { preTokenVersionOf } from './names.ts';
import { metadataOf, runTrigger, stringMapOf, unrecognizable, type TriggerResponse } from './run-trigger.ts';
import { eventAttributesOf } from './user-attributes.ts';

// The pre token generation trigger (developer guide, "Pre token generation
// Lambda trigger"). TokenService builds every token's claims in one place and
// hands them to the hook made here, which asks the pool's function and
// reshapes them:
//
//   V1_0  request {userAttributes, groupConfiguration, clientMetadata?}
//         response claimsOverrideDetails {claimsToAddOrOverride (strings),
//         claimsToSuppress, groupOverrideDetails}: the ID token; a group
//         override also replaces the access token's cognito:groups.
//   V2_0  request adds scopes; response claimsAndScopeOverrideDetails
//         {idTokenGeneration, accessTokenGeneration {… scopesToAdd,
//         scopesToSuppress}, groupOverrideDetails}: both tokens, any JSON values.
//   V3_0  as V2_0, and also asked for the client-credentials grant's tokens.
//
// Claims Cognito does not let a function touch are left as they are (not an
// error: the guide lists them as claims you "can't modify", and Cognate never
// refuses what Cognito accepts).

/** How the tokens came to be issued: the event's triggerSource is `TokenGeneration_<source>`. */
export type TokenSource = 'HostedAuth' | 'Authentication' | 'NewPasswordChallenge' | 'AuthenticateDevice' | 'RefreshTokens' | 'ClientCredentials';

/** The claims no function may add, change or suppress (besides every `cognito:` claim but the three group ones). */
const IMMUTABLE = new Set([
  'acr',
  'amr',
  'at_hash',
  'auth_time',
  'aud',
  'azp',
  'client_id',
  'device_key',
  'event_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
  'version',
]);
const GROUP_CLAIMS = new Set(['cognito:groups', 'cognito:roles', 'cognito:preferred_role']);
/** ID-token claims that keep a plain value: the guide allows complex values for every other claim. */
const PLAIN_ID_CLAIMS = new Set(['email_verified', 'phone_number_verified', 'updated_at', 'address']);

const mutable = (name: string): boolean => !IMMUTABLE.has(name) && (!name.startsWith('cognito:') || GROUP_CLAIMS.has(name));

/**
 * The hook TokenService runs before it signs: nothing when the pool has no
 * pre token generation function (or, below V3_0, for the client-credentials
 * grant). `clientMetadata`: RespondToAuthChallenge's ClientMetadata or the
 * token endpoint's aws_client_metadata; InitiateAuth's never reaches it.
 */
export function preTokenGeneration(ctx: Context, source: TokenSource, given?: Record<string, string | undefined>): ClaimsHook {
  const clientMetadata = metadataOf(given);
  return async (claims) => {
    const version = preTokenVersionOf(claims.pool);
    if (source === 'ClientCredentials' && version !== 'V3_0') return;
    const response = await runTrigger(ctx, claims.pool, {
      trigger: 'PreTokenGeneration',
      triggerSource: `TokenGeneration_${source}`,
      userName: claims.user?.username ?? null,
      clientId: claims.client.clientId,
      request: requestOf(claims, version, clientMetadata),
      version: version === 'V1_0' ? '1' : version === 'V2_0' ? '2' : '3',
    });
    if (!response) return;
    if (version === 'V1_0') applyV1(claims, response);
    else applyV2(claims, response);
  };
}

function requestOf(claims: TokenClaims, version: string, clientMetadata: Record<string, string> | undefined): Record<string, unknown> {
  const user = claims.user;
  const userAttributes = user ? eventAttributesOf(claims.pool, user) : {};
  const groupConfiguration = {
    groupsToOverride: claims.groups['cognito:groups'] ?? [],
    iamRolesToOverride: claims.groups['cognito:roles'] ?? [],
    preferredRole: claims.groups['cognito:preferred_role'] ?? null,
  };
  const scopes = typeof claims.access['scope'] === 'string' ? claims.access['scope'].split(' ').filter(Boolean) : [];
  return {
    userAttributes,
    groupConfiguration,
    ...(version === 'V1_0' ? {} : { scopes }),
    ...(clientMetadata ? { clientMetadata } : {}),
  };
}

/** V1_0: ID-token claims as strings; a group override reaches the access token's cognito:groups too. */
function applyV1(claims: TokenClaims, response: TriggerResponse): void {
  const details = objectOf(response, 'claimsOverrideDetails');
  if (!details) return;
  const add = stringMapOf(details, 'claimsToAddOrOverride');
  const suppress = listOf(details, 'claimsToSuppress');
  if (claims.id) shapeClaims(claims.id, add, suppress, 'id');
  overrideGroups(claims, details);
}

/** V2_0/V3_0: each token's own claims (any JSON value), the access token's scopes, the groups of both. */
function applyV2(claims: TokenClaims, response: TriggerResponse): void {
  const details = objectOf(response, 'claimsAndScopeOverrideDetails');
  if (!details) return;
  const idPart = objectOf(details, 'idTokenGeneration');
  if (idPart && claims.id) shapeClaims(claims.id, objectOf(idPart, 'claimsToAddOrOverride'), listOf(idPart, 'claimsToSuppress'), 'id');
  const accessPart = objectOf(details, 'accessTokenGeneration');
  if (accessPart) {
    shapeClaims(claims.access, objectOf(accessPart, 'claimsToAddOrOverride'), listOf(accessPart, 'claimsToSuppress'), 'access', claims.client.clientId);
    shapeScopes(claims.access, listOf(accessPart, 'scopesToAdd'), listOf(accessPart, 'scopesToSuppress'));
  }
  overrideGroups(claims, details);
}

/**
 * Adds and overrides, then suppresses (a claim both replaced and suppressed
 * is suppressed, as the guide says). Immutable claims are skipped; `dev:`
 * attributes may only be suppressed; an access token may gain `aud` only as
 * its own client ID. Suppressing cognito:groups takes the roles with it.
 */
function shapeClaims(
  target: Record<string, unknown>,
  add: Record<string, unknown> | null,
  suppress: string[] | null,
  token: 'id' | 'access',
  clientId?: string,
): void {
  for (const [name, value] of Object.entries(add ?? {})) {
    if (value === undefined || value === null || name.startsWith('dev:')) continue;
    if (token === 'access' && name === 'aud' && value === clientId) {
      target[name] = value;
      continue;
    }
    if (!mutable(name)) continue;
    if (token === 'id' && PLAIN_ID_CLAIMS.has(name) && typeof value === 'object') continue;
    target[name] = value;
  }
  for (const name of suppress ?? []) {
    if (!mutable(name) && !name.startsWith('dev:')) continue;
    delete target[name];
    if (name === 'cognito:groups') {
      delete target['cognito:roles'];
      delete target['cognito:preferred_role'];
    }
  }
}

/** The access token's `scope`: what it may do (verifyAccess reads it), so a suppressed scope is a refused call. */
function shapeScopes(access: Record<string, unknown>, add: string[] | null, suppress: string[] | null): void {
  const current = typeof access['scope'] === 'string' ? access['scope'].split(' ').filter(Boolean) : [];
  const scopes = new Set(current);
  for (const s of add ?? []) if (s !== '' && !/\s/.test(s)) scopes.add(s);
  for (const s of suppress ?? []) scopes.delete(s);
  if (scopes.size) access['scope'] = [...scopes].join(' ');
  else delete access['scope'];
}

/**
 * groupOverrideDetails replaces the user's groups as the tokens state them:
 * cognito:groups in both tokens, cognito:roles and cognito:preferred_role in
 * the ID token. An empty object suppresses them all; absent or null keeps them.
 */
function overrideGroups(claims: TokenClaims, details: Record<string, unknown>): void {
  const override = objectOf(details, 'groupOverrideDetails');
  if (!override) return;
  const groups = listOf(override, 'groupsToOverride') ?? [];
  const roles = listOf(override, 'iamRolesToOverride') ?? [];
  const preferred = override['preferredRole'];
  if (preferred !== undefined && preferred !== null && typeof preferred !== 'string') throw unrecognizable();
  const set = (target: Record<string, unknown>, name: string, value: unknown, present: boolean) => {
    if (present) target[name] = value;
    else delete target[name];
  };
  set(claims.access, 'cognito:groups', groups, groups.length > 0);
  if (claims.id) {
    set(claims.id, 'cognito:groups', groups, groups.length > 0);
    set(claims.id, 'cognito:roles', roles, roles.length > 0);
    set(claims.id, 'cognito:preferred_role', preferred, typeof preferred === 'string' && preferred !== '');
  }
}

/** An object member of the response, or null when absent; anything else is an unrecognizable output. */
function objectOf(from: Record<string, unknown>, key: string): Record<string, unknown> | null {
  const value = from[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw unrecognizable();
  return value as Record<string, unknown>;
}

/** A list of strings, or null when absent. */
function listOf(from: Record<string, unknown>, key: string): string[] | null {
  const value = from[key];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw unrecognizable();
  return value as string[];
}
