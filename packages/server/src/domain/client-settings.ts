import type { CreateUserPoolClientRequest, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { Errors } from '../errors/cognito-error.ts';
import type { Wire } from './wire.ts';
import type { Pool } from './pool-settings.ts';

export type ClientSettings = Omit<Wire<UserPoolClientType>, 'UserPoolId' | 'ClientId' | 'ClientName' | 'ClientSecret' | 'CreationDate' | 'LastModifiedDate'> & {
  /**
   * SetUserPoolClientSessionConfiguration's SSO session setting, kept beside
   * the settings: DescribeUserPoolClient does not report it and
   * UpdateUserPoolClient keeps it. Read through `ssoSessionOf`.
   */
  SSOSession?: { MaxValidityMinutes: number };
};

/** Cognito's default for a client never configured: 60 minutes (ClientSSOSessionConfigType). */
export const ssoSessionOf = (client: AppClient): { MaxValidityMinutes: number } => client.settings.SSOSession ?? { MaxValidityMinutes: 60 };

export interface AppClient {
  clientId: string;
  poolId: string;
  name: string;
  /** Clear-text secret, opened from its sealed form when loaded; null for public clients. The oldest of `secrets`. */
  secret: string | null;
  /** Every secret the client holds, oldest first: up to two while rotating, each accepted. */
  secrets: ClientSecret[];
  settings: ClientSettings;
  createdAt: number;
  updatedAt: number;
}

export interface ClientSecret {
  id: string;
  value: string;
  createdAt: number;
}

/** AddUserPoolClientSecret: "up to 2 active secrets per app client". */
export const MAX_CLIENT_SECRETS = 2;

export const DEFAULT_AUTH_FLOWS: NonNullable<ClientSettings['ExplicitAuthFlows']> = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

type Unit = 'seconds' | 'minutes' | 'hours' | 'days';
const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

// Token validity bounds from the CreateUserPoolClient reference.
export const TOKEN_VALIDITY_BOUNDS = {
  AccessToken: { min: 300, max: 86400, label: 'Access Token validity' },
  IdToken: { min: 300, max: 86400, label: 'Id Token validity' },
  RefreshToken: { min: 3600, max: 315360000, label: 'Refresh Token validity' },
} as const;
const BOUNDS = TOKEN_VALIDITY_BOUNDS;

export function newClientSettings(req: Wire<CreateUserPoolClientRequest>): ClientSettings {
  // A value given without a unit is in hours (access, ID) or days (refresh), as in Cognito.
  const units = {
    AccessToken: (req.TokenValidityUnits?.AccessToken ?? (req.AccessTokenValidity === undefined ? 'minutes' : 'hours')) as Unit,
    IdToken: (req.TokenValidityUnits?.IdToken ?? (req.IdTokenValidity === undefined ? 'minutes' : 'hours')) as Unit,
    RefreshToken: (req.TokenValidityUnits?.RefreshToken ?? 'days') as Unit,
  };
  const settings: ClientSettings = {
    RefreshTokenValidity: req.RefreshTokenValidity ?? 30,
    AccessTokenValidity: req.AccessTokenValidity ?? 60,
    IdTokenValidity: req.IdTokenValidity ?? 60,
    TokenValidityUnits: units,
    ReadAttributes: req.ReadAttributes,
    WriteAttributes: req.WriteAttributes,
    ExplicitAuthFlows: req.ExplicitAuthFlows?.length ? req.ExplicitAuthFlows : DEFAULT_AUTH_FLOWS,
    SupportedIdentityProviders: req.SupportedIdentityProviders,
    CallbackURLs: req.CallbackURLs,
    LogoutURLs: req.LogoutURLs,
    DefaultRedirectURI: req.DefaultRedirectURI,
    AllowedOAuthFlows: req.AllowedOAuthFlows,
    AllowedOAuthScopes: req.AllowedOAuthScopes,
    AllowedOAuthFlowsUserPoolClient: req.AllowedOAuthFlowsUserPoolClient ?? false,
    AnalyticsConfiguration: req.AnalyticsConfiguration,
    PreventUserExistenceErrors: req.PreventUserExistenceErrors ?? 'LEGACY',
    EnableTokenRevocation: req.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: req.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: req.AuthSessionValidity ?? 3,
    RefreshTokenRotation: req.RefreshTokenRotation,
  };
  for (const kind of ['AccessToken', 'IdToken', 'RefreshToken'] as const) {
    const seconds = validitySeconds(settings, kind);
    const b = BOUNDS[kind];
    if (seconds < b.min || seconds > b.max) {
      throw Errors.InvalidParameter(`${b.label} must be between ${b.min / 60} minutes and ${kind === 'RefreshToken' ? '10 years' : '1 day'}.`);
    }
  }
  const flows = new Set<string>(settings.ExplicitAuthFlows);
  const legacy = [...flows].some((f) => !f.startsWith('ALLOW_'));
  const modern = [...flows].some((f) => f.startsWith('ALLOW_'));
  if (legacy && modern) throw Errors.InvalidParameter('ExplicitAuthFlows can not have both ALLOW_xxx and legacy values.');
  // GetClientToken's documentation: "The ALLOW_CLIENT_TOKEN_AUTH flow is
  // mutually exclusive with user authentication flows. It must be the only
  // authentication flow that you configure for the app client." Wording ours (unconfirmed).
  if (flows.has('ALLOW_CLIENT_TOKEN_AUTH') && flows.size > 1) {
    throw Errors.InvalidParameter(
      'ALLOW_CLIENT_TOKEN_AUTH can not be combined with other ExplicitAuthFlows: it must be the only authentication flow of the app client.',
    );
  }
  return settings;
}

export function validitySeconds(settings: ClientSettings, kind: 'AccessToken' | 'IdToken' | 'RefreshToken'): number {
  const value = settings[`${kind}Validity`] ?? (kind === 'RefreshToken' ? 30 : 60);
  const unit = (settings.TokenValidityUnits?.[kind] ?? (kind === 'RefreshToken' ? 'days' : 'minutes')) as Unit;
  return value * UNIT_SECONDS[unit];
}

/** Legacy flow names (ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH…) count as their ALLOW_ forms. */
export function allowsFlow(client: AppClient, allowName: string): boolean {
  const flows: string[] = client.settings.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
  if (flows.includes(allowName)) return true;
  const legacy: Record<string, string> = {
    ALLOW_ADMIN_USER_PASSWORD_AUTH: 'ADMIN_NO_SRP_AUTH',
    ALLOW_USER_PASSWORD_AUTH: 'USER_PASSWORD_AUTH',
    ALLOW_CUSTOM_AUTH: 'CUSTOM_AUTH_FLOW_ONLY',
  };
  const old = legacy[allowName];
  // Legacy clients always allowed SRP and refresh.
  const legacyClient = flows.some((f) => !f.startsWith('ALLOW_'));
  if (legacyClient && (allowName === 'ALLOW_USER_SRP_AUTH' || allowName === 'ALLOW_REFRESH_TOKEN_AUTH')) return true;
  return old !== undefined && flows.includes(old);
}

export const preventsUserExistenceErrors = (client: AppClient): boolean => client.settings.PreventUserExistenceErrors === 'ENABLED';

/**
 * ReadAttributes and WriteAttributes may name only attributes of the pool's
 * schema (immutable ones included: they are written at sign-up), never
 * `sub`; otherwise Cognito answers "Invalid write attributes specified while
 * updating a client" (seen in the wild; the read and "creating" forms follow
 * the same pattern). Absent lists mean every attribute.
 */
export function checkAttributeLists(pool: Pool, settings: ClientSettings, verb: 'creating' | 'updating'): void {
  const schema = new Map((pool.settings.SchemaAttributes ?? []).map((a) => [a.Name ?? '', a]));
  if ((settings.ReadAttributes ?? []).some((name) => !schema.has(name))) {
    throw Errors.InvalidParameter(`Invalid read attributes specified while ${verb} a client`);
  }
  if ((settings.WriteAttributes ?? []).some((name) => name === 'sub' || !schema.has(name))) {
    throw Errors.InvalidParameter(`Invalid write attributes specified while ${verb} a client`);
  }
}
