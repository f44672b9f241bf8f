import { Errors } from '../errors/cognito-error.ts';
import type { AppClient, ClientSettings } from './client-settings.ts';
import { RESERVED_SCOPES, type ResourceServer } from './oauth-config.ts';

// An app client's OAuth 2.0 settings (CreateUserPoolClient and
// UpdateUserPoolClient in the API reference; DG
// user-pool-settings-client-apps.html), checked in a fixed order so one
// request always gets the same answer. Only what Cognito is known to refuse
// is refused; each message is Cognito's where a public report quotes it.

export type OAuthFlow = 'code' | 'implicit' | 'client_credentials';

/** What the checks need beyond the settings: the client's secret, the pool's resource servers and identity providers. */
export interface OAuthContext {
  poolId: string;
  hasSecret: boolean;
  resourceServers: ResourceServer[];
  /** Names of the pool's identity providers; none exist yet, so only COGNITO is accepted. */
  identityProviders: string[];
}

// http is allowed only for the loopback host: "Amazon Cognito requires HTTPS
// over HTTP except for http://localhost" (API reference, CallbackURLs), and
// since 2025-08 the loopback IP literals too (AWS in microsoft/vscode#256122).
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

// Schemes a browser would run or read locally rather than navigate to an
// app: never a redirect target (and every callback URL also lands in the
// pages' CSP form-action). Custom app schemes (myapp://) stay allowed.
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:']);

function checkUrl(url: string): void {
  // Letters beyond ASCII are accepted, as Cognito's model pattern
  // (RedirectUrlType) accepts them; redirects percent-encode them
  // (oauth/authorize-request.ts locationOf). Spaces and control characters
  // the pattern keeps out.
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // "Be an absolute URI" (API reference). Wording ours (unconfirmed).
    throw Errors.InvalidParameter(`${url} is not a valid absolute URL.`);
  }
  // "Not include a fragment component" (API reference). Wording ours (unconfirmed).
  if (url.includes('#')) throw Errors.InvalidParameter(`${url} cannot contain a fragment.`);
  // Wording ours (unconfirmed).
  if (FORBIDDEN_SCHEMES.has(parsed.protocol)) throw Errors.InvalidParameter(`${url} cannot use the ${parsed.protocol} scheme.`);
  // Quoted from Cognito in aws-amplify/amplify-cli#5419. Custom schemes (myapp://example) are allowed.
  if (parsed.protocol === 'http:' && !LOOPBACK.has(parsed.hostname)) throw Errors.InvalidParameter(`${url} cannot use the HTTP protocol.`);
}

/** Every scope Cognito lets a client be given in this pool: the reserved ones and `<identifier>/<scope>` of each resource server. */
export function knownScopes(resourceServers: ResourceServer[]): Set<string> {
  const known = new Set<string>(RESERVED_SCOPES);
  for (const server of resourceServers) for (const s of server.scopes) known.add(`${server.identifier}/${s.ScopeName}`);
  return known;
}

export function checkOAuthSettings(settings: ClientSettings, ctx: OAuthContext): void {
  for (const url of [...(settings.CallbackURLs ?? []), ...(settings.LogoutURLs ?? [])]) checkUrl(url);
  if (settings.DefaultRedirectURI !== undefined) {
    checkUrl(settings.DefaultRedirectURI);
    // "Must be in the CallbackURLs list" (API reference). Wording unconfirmed.
    if (!(settings.CallbackURLs ?? []).includes(settings.DefaultRedirectURI))
      throw Errors.InvalidParameter('DefaultRedirectURI must be one of the CallbackURLs.');
  }
  for (const provider of settings.SupportedIdentityProviders ?? []) {
    // Quoted from Cognito in lgallard/terraform-aws-cognito-user-pool#71.
    if (provider !== 'COGNITO' && !ctx.identityProviders.includes(provider)) {
      throw Errors.InvalidParameter(`The provider ${provider} does not exist for User Pool ${ctx.poolId}.`);
    }
  }
  const known = knownScopes(ctx.resourceServers);
  for (const scope of settings.AllowedOAuthScopes ?? []) {
    // Quoted with its exception name in awsdocs/aws-cloudformation-user-guide#564.
    if (!known.has(scope)) throw Errors.ScopeDoesNotExist(`Invalid scope requested: ${scope}`);
  }
  const flows = settings.AllowedOAuthFlows ?? [];
  if (settings.AllowedOAuthFlowsUserPoolClient && (flows.length === 0 || (settings.AllowedOAuthScopes ?? []).length === 0)) {
    // Quoted in jobairkhan.com's "Amazon Cognito User Pools – Client Credentials" (InvalidParameterException).
    throw Errors.InvalidParameter('AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.');
  }
  if (flows.includes('client_credentials')) {
    // "You can't combine client_credentials with code or implicit" (aws/aws-sdk-js-v3#2650). Wording ours (unconfirmed).
    if (flows.includes('code') || flows.includes('implicit')) {
      throw Errors.InvalidOAuthFlow('client_credentials flow can not be selected together with code or implicit flows.');
    }
    // Quoted in the same jobairkhan.com article; the exception name is the model's OAuth-flow error (unconfirmed).
    if (!ctx.hasSecret) throw Errors.InvalidOAuthFlow('client_credentials flow can not be selected if client does not have a client secret.');
  }
}

/** The scopes the OAuth endpoints may grant this client: none unless it is allowed to use OAuth flows. */
export function allowedScopes(client: AppClient): string[] {
  if (!client.settings.AllowedOAuthFlowsUserPoolClient) return [];
  return [...(client.settings.AllowedOAuthScopes ?? [])];
}

/** Whether the client may use this OAuth grant; client_credentials also needs a secret. */
export function allowsOAuthFlow(client: AppClient, flow: OAuthFlow): boolean {
  if (!client.settings.AllowedOAuthFlowsUserPoolClient) return false;
  if (!(client.settings.AllowedOAuthFlows ?? []).includes(flow)) return false;
  return flow !== 'client_credentials' || client.secret !== null;
}
