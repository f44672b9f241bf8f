// Cognito's request-rate quota categories (developer guide, "Quotas in Amazon
// Cognito": category table and defaults in requests per second), which shape
// Cognate's per-pool rate limits. Cognito enforces them per account and
// region; Cognate counts them per user pool (per account for calls that name
// no pool), so one busy pool does not starve the others. RespondToAuthChallenge
// and AdminRespondToAuthChallenge have their own budget of three times
// UserAuthentication, as Cognito's "operation special handling" gives them.

export const QUOTA_CATEGORIES = [
  'UserAuthentication',
  'UserCreation',
  'UserAccountRecovery',
  'UserRead',
  'UserUpdate',
  'UserResourceRead',
  'UserResourceUpdate',
  'UserList',
  'UserPoolRead',
  'UserPoolUpdate',
  'UserPoolResourceRead',
  'UserPoolResourceUpdate',
  'UserPoolClientRead',
  'UserPoolClientUpdate',
  'UserToken',
] as const;

export type QuotaCategory = (typeof QUOTA_CATEGORIES)[number];
export type RateLimits = Readonly<Partial<Record<QuotaCategory, number>>>;

/** Cognito's default quotas (requests per second): `--rate-limits cognito`. */
export const COGNITO_DEFAULT_QUOTAS: Readonly<Record<QuotaCategory, number>> = {
  UserAuthentication: 120,
  UserCreation: 50,
  UserAccountRecovery: 30,
  UserRead: 120,
  UserUpdate: 25,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserList: 30,
  UserPoolRead: 15,
  UserPoolUpdate: 15,
  UserPoolResourceRead: 20,
  UserPoolResourceUpdate: 15,
  UserPoolClientRead: 15,
  UserPoolClientUpdate: 15,
  UserToken: 120,
};

// Operation → category, after Cognito's table. Operations it does not list
// (newer or Cognate's own) fall back by verb in categoryOf.
const CATEGORY_OF: Readonly<Record<string, QuotaCategory>> = {
  AdminInitiateAuth: 'UserAuthentication',
  InitiateAuth: 'UserAuthentication',
  AdminRespondToAuthChallenge: 'UserAuthentication',
  RespondToAuthChallenge: 'UserAuthentication',
  SignUp: 'UserCreation',
  ConfirmSignUp: 'UserCreation',
  AdminCreateUser: 'UserCreation',
  AdminConfirmSignUp: 'UserCreation',
  ForgotPassword: 'UserAccountRecovery',
  ConfirmForgotPassword: 'UserAccountRecovery',
  ChangePassword: 'UserAccountRecovery',
  AdminResetUserPassword: 'UserAccountRecovery',
  AdminSetUserPassword: 'UserAccountRecovery',
  ResendConfirmationCode: 'UserAccountRecovery',
  GetUser: 'UserRead',
  AdminGetUser: 'UserRead',
  GetUserAuthFactors: 'UserRead',
  AdminGetUserAuthFactors: 'UserRead',
  UpdateUserAttributes: 'UserUpdate',
  AdminUpdateUserAttributes: 'UserUpdate',
  DeleteUserAttributes: 'UserUpdate',
  AdminDeleteUserAttributes: 'UserUpdate',
  DeleteUser: 'UserUpdate',
  AdminDeleteUser: 'UserUpdate',
  AdminDisableUser: 'UserUpdate',
  AdminEnableUser: 'UserUpdate',
  AdminDisableProviderForUser: 'UserUpdate',
  AdminLinkProviderForUser: 'UserUpdate',
  GetUserAttributeVerificationCode: 'UserUpdate',
  VerifyUserAttribute: 'UserUpdate',
  SetUserSettings: 'UserUpdate',
  AdminSetUserSettings: 'UserUpdate',
  SetUserMFAPreference: 'UserUpdate',
  AdminSetUserMFAPreference: 'UserUpdate',
  GlobalSignOut: 'UserUpdate',
  AdminUserGlobalSignOut: 'UserUpdate',
  RevokeUserSession: 'UserUpdate',
  AdminRevokeUserSession: 'UserUpdate',
  AdminAddUserToGroup: 'UserUpdate',
  AdminRemoveUserFromGroup: 'UserUpdate',
  AdminGetDevice: 'UserResourceRead',
  AdminListDevices: 'UserResourceRead',
  GetDevice: 'UserResourceRead',
  ListDevices: 'UserResourceRead',
  AdminListGroupsForUser: 'UserResourceRead',
  AdminListUserAuthEvents: 'UserResourceRead',
  ListUserSessions: 'UserResourceRead',
  AdminListUserSessions: 'UserResourceRead',
  ListWebAuthnCredentials: 'UserResourceRead',
  ConfirmDevice: 'UserResourceUpdate',
  ForgetDevice: 'UserResourceUpdate',
  AdminForgetDevice: 'UserResourceUpdate',
  UpdateDeviceStatus: 'UserResourceUpdate',
  AdminUpdateDeviceStatus: 'UserResourceUpdate',
  UpdateAuthEventFeedback: 'UserResourceUpdate',
  AdminUpdateAuthEventFeedback: 'UserResourceUpdate',
  AssociateSoftwareToken: 'UserResourceUpdate',
  AdminDeleteSoftwareToken: 'UserResourceUpdate',
  VerifySoftwareToken: 'UserResourceUpdate',
  StartWebAuthnRegistration: 'UserResourceUpdate',
  CompleteWebAuthnRegistration: 'UserResourceUpdate',
  DeleteWebAuthnCredential: 'UserResourceUpdate',
  ListUsers: 'UserList',
  ListUsersInGroup: 'UserList',
  DescribeUserPool: 'UserPoolRead',
  ListUserPools: 'UserPoolRead',
  GetUserPoolMfaConfig: 'UserPoolRead',
  GetUserPoolSessionConfiguration: 'UserPoolRead',
  CreateUserPool: 'UserPoolUpdate',
  UpdateUserPool: 'UserPoolUpdate',
  DeleteUserPool: 'UserPoolUpdate',
  SetUserPoolMfaConfig: 'UserPoolUpdate',
  SetUserPoolSessionConfiguration: 'UserPoolUpdate',
  DescribeUserPoolClient: 'UserPoolClientRead',
  GetUserPoolClientSessionConfiguration: 'UserPoolClientRead',
  ListUserPoolClients: 'UserPoolClientRead',
  ListUserPoolClientSecrets: 'UserPoolClientRead',
  CreateUserPoolClient: 'UserPoolClientUpdate',
  UpdateUserPoolClient: 'UserPoolClientUpdate',
  SetUserPoolClientSessionConfiguration: 'UserPoolClientUpdate',
  DeleteUserPoolClient: 'UserPoolClientUpdate',
  AddUserPoolClientSecret: 'UserPoolClientUpdate',
  DeleteUserPoolClientSecret: 'UserPoolClientUpdate',
  RevokeToken: 'UserToken',
  GetTokensFromRefreshToken: 'UserToken',
  GetClientToken: 'UserToken',
};

/** The category an operation counts against; unlisted ones by verb (reads and writes of pool resources). */
export function categoryOf(operation: string): QuotaCategory {
  return CATEGORY_OF[operation] ?? (/^(Get|List|Describe)/.test(operation) ? 'UserPoolResourceRead' : 'UserPoolResourceUpdate');
}

/** Challenge answers draw on their own, larger budget (see the file comment). */
export const isChallengeAnswer = (operation: string): boolean => operation === 'RespondToAuthChallenge' || operation === 'AdminRespondToAuthChallenge';

/**
 * `--rate-limits`: `off` (no per-category limits), `cognito` (Cognito's
 * defaults), or `Category=N,…`, optionally after `cognito,` to override
 * some of the defaults. N is requests per window (--rate-limit-window); 0
 * lifts the limit of that category.
 */
export function parseRateLimits(raw: string): RateLimits {
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const limits: Partial<Record<QuotaCategory, number>> = {};
  for (const [i, part] of parts.entries()) {
    if (part === 'off' && parts.length === 1) continue;
    if (part === 'cognito' && i === 0) {
      Object.assign(limits, COGNITO_DEFAULT_QUOTAS);
      continue;
    }
    const m = /^([A-Za-z]+)=(\d{1,9})$/.exec(part);
    if (!m || !(QUOTA_CATEGORIES as readonly string[]).includes(m[1]!)) {
      throw new Error(`must be off, cognito, or Category=N pairs (categories: ${QUOTA_CATEGORIES.join(', ')}), got "${part}"`);
    }
    const n = Number(m[2]);
    if (n === 0) delete limits[m[1] as QuotaCategory];
    else limits[m[1] as QuotaCategory] = n;
  }
  return Object.freeze(limits);
}
