// Row shapes as stored. Times are epoch milliseconds; booleans are 0/1 so the
// same schema works on SQLite and PostgreSQL; JSON documents are text.
export interface AccessKeyRow {
  access_key_id: string;
  secret_sealed: string;
  status: 'Active' | 'Inactive';
  description: string;
  created_at: number;
}

export interface UserPoolRow {
  id: string;
  name: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface UserPoolClientRow {
  client_id: string;
  pool_id: string;
  name: string;
  secret_sealed: string | null;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface SigningKeyRow {
  kid: string;
  pool_id: string;
  token_use: 'id' | 'access';
  alg: string;
  private_sealed: string;
  public_jwk: string;
  status: 'active' | 'retired';
  created_at: number;
  /** When a rotation stopped it signing (016); null while active. */
  retired_at: number | null;
  /** Until when a retired key stays in the JWKS: the last expiry of a token it signed (016). */
  published_until: number | null;
}

export interface UserRow {
  sub: string;
  pool_id: string;
  username: string;
  username_key: string;
  status: string;
  enabled: number;
  password_hash: string | null;
  srp_salt: string | null;
  srp_verifier_sealed: string | null;
  password_changed_at: number | null;
  temp_password_expires_at: number | null;
  failed_attempts: number;
  consecutive_failures: number;
  last_failed_at: number | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface UserAttributeRow {
  sub: string;
  pool_id: string;
  name: string;
  value: string;
  /** Lower-cased value, for case-insensitive lookups (email aliases, ListUsers). */
  value_key: string;
}

export interface CodeRow {
  id: string;
  pool_id: string;
  sub: string;
  purpose: string;
  code_hash: string;
  expires_at: number;
  consumed_at: number | null;
  attempts: number;
  created_at: number;
}

/** An authorization code of the OAuth endpoints (migration 022): stored by hash, single use. */
export interface OAuthCodeRow {
  code_hash: string;
  pool_id: string;
  client_id: string;
  sub: string;
  redirect_uri: string;
  /** The granted scopes, space-separated. */
  scope: string;
  nonce: string | null;
  /** The PKCE S256 challenge, or null when the request had none. */
  code_challenge: string | null;
  auth_time: number;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** The token family the exchange created: revoked if the code is replayed. */
  origin_jti: string | null;
}

/** A browser's managed-login sign-in (migration 022), keyed by the hash of its cookie. */
export interface HostedSessionRow {
  id_hash: string;
  pool_id: string;
  sub: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
}

export interface OAuthGrantTables {
  oauth_codes: OAuthCodeRow;
  hosted_sessions: HostedSessionRow;
}

export interface SessionRow {
  origin_jti: string;
  pool_id: string;
  client_id: string;
  sub: string;
  refresh_hash: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** The scopes granted, space-separated as in the `scope` claim; null for Cognito's API default (services/tokens.ts). */
  scope?: string | null;
}

export interface AuthChallengeRow {
  id: string;
  pool_id: string;
  client_id: string;
  sub: string | null;
  challenge: string;
  state: string;
  expires_at: number;
  consumed_at: number | null;
}

export interface OutboxRow {
  id: string;
  pool_id: string | null;
  recipient: string;
  subject: string;
  body_sealed: string;
  created_at: number;
  delivered_at: number | null;
  error: string | null;
  /** When a process claimed it for delivery (018-outbox-attempts); null until then. */
  attempted_at: number | null;
}

export interface CounterRow {
  key: string;
  window_start: number;
  count: number;
}

// Each feature's tables, declared in its own section so features grow apart.
// Groups and memberships (004).
export interface GroupRow {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}
export interface UserGroupRow {
  pool_id: string;
  group_name: string;
  sub: string;
  created_at: number;
}
export interface GroupTables {
  groups: GroupRow;
  user_groups: UserGroupRow;
}
// Auth event history (005).
export interface AuthEventRow {
  event_id: string;
  pool_id: string;
  sub: string;
  /** Per-user order: newest first when listing, and what the retention bound counts. */
  seq: number;
  event_type: string;
  event_response: string;
  /** JSON: [{ChallengeName, ChallengeResponse}] (Password/Mfa, Success/Failure). */
  challenge_responses: string;
  ip_address: string;
  device_name: string;
  created_at: number;
  feedback_value: string | null;
  feedback_provider: string | null;
  feedback_at: number | null;
}
export interface UserMfaOptionsRow {
  sub: string;
  /** JSON: the legacy MFAOptions list of AdminSetUserSettings/SetUserSettings. */
  mfa_options: string;
}
export interface RiskConfigurationRow {
  pool_id: string;
  /** '' for the pool-wide configuration. */
  client_id: string;
  config: string;
  updated_at: number;
}
export interface AuthEventTables {
  auth_events: AuthEventRow;
  user_mfa_options: UserMfaOptionsRow;
  risk_configurations: RiskConfigurationRow;
}
// Refresh-token rotation (006).
export interface RefreshTokenRow {
  hash: string;
  /** The token family: sessions.origin_jti. */
  origin_jti: string;
  issued_at: number;
  superseded_at: number | null;
  /** The token that replaced this one, sealed: handed back again to a retry within the grace period. */
  successor_sealed: string | null;
}
/** Lockout state of a sign-in name that matches no user (PreventUserExistenceErrors ENABLED). */
export interface UnknownNameFailureRow {
  name_key: string;
  failed_attempts: number;
  consecutive_failures: number;
  last_failed_at: number;
}
export interface RotationTables {
  refresh_tokens: RefreshTokenRow;
  unknown_name_failures: UnknownNameFailureRow;
}
// ARCHIVED / COMPROMISED lifecycle (007).
export interface UserLifecycleRow {
  sub: string;
  pool_id: string;
  archived_at: number | null;
  /** The status AdminRestoreUser returns the user to. */
  status_before_archive: string | null;
  compromised_at: number | null;
  /** Who marked it: `operator:<access key id>` or a detector's name. */
  compromised_by: string | null;
}
export interface PoolLifecycleRow {
  pool_id: string;
  archive_retention_days: number;
  updated_at: number;
}
export interface LifecycleTables {
  user_lifecycle: UserLifecycleRow;
  pool_lifecycle: PoolLifecycleRow;
}
// Password history (008).
export interface PasswordHistoryRow {
  sub: string;
  /** Per-user order, newest highest. */
  seq: number;
  pool_id: string;
  /** argon2id PHC string of a former password; never the password. */
  password_hash: string;
  replaced_at: number;
}
export interface PasswordHistoryTables {
  password_history: PasswordHistoryRow;
}

// App-client secrets, up to two per client for rotation (009).
export interface ClientSecretRow {
  secret_id: string;
  client_id: string;
  secret_sealed: string;
  created_at: number;
}
export interface ClientSecretTables {
  client_secrets: ClientSecretRow;
}

// MFA settings and TOTP secrets (010).
export interface UserMfaRow {
  sub: string;
  pool_id: string;
  /** The verified TOTP secret (base32), sealed with the master key for this user. */
  totp_secret_sealed: string | null;
  /** A secret from AssociateSoftwareToken awaiting VerifySoftwareToken, sealed likewise. */
  totp_pending_sealed: string | null;
  totp_friendly_name: string | null;
  /** The last accepted TOTP time step (a replay in its window fails). */
  totp_last_step: number | null;
  sms_enabled: number;
  email_enabled: number;
  totp_enabled: number;
  /** SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA. */
  preferred: string | null;
  updated_at: number;
}
export interface MfaTables {
  user_mfa: UserMfaRow;
}
// Remembered devices (012).
export interface DeviceRow {
  /** `<region>_<uuid>`, as Cognito's. */
  device_key: string;
  sub: string;
  pool_id: string;
  /** DeviceGroupKey: the "pool name" of the device's SRP. */
  group_key: string;
  /** 'pending' until ConfirmDevice, then 'remembered' or 'not_remembered'. */
  status: 'pending' | 'remembered' | 'not_remembered';
  name: string | null;
  /** Hex of the SRP salt the device chose. */
  salt: string | null;
  /** The device's SRP verifier, sealed with the master key. */
  verifier_sealed: string | null;
  last_ip: string | null;
  created_at: number;
  updated_at: number;
  confirmed_at: number | null;
  last_authenticated_at: number | null;
}
export interface DeviceTables {
  devices: DeviceRow;
}

// Access-key policies (013): store/key-policies.ts.
export interface KeyPolicyRow {
  access_key_id: string;
  /** 1: may call everything (the first-start key); the guardrail still applies. */
  full_access: number;
  /** The attached IAM-style policy document (JSON), checked when attached; null: none. */
  document: string | null;
  updated_at: number;
}
export interface KeyPolicyTables {
  key_policies: KeyPolicyRow;
}
// Audit trail (014): store/audit.ts.
export interface AuditRecordRow {
  seq: number;
  time: number;
  request_id: string;
  /** 'cognito-idp', 'cognate', or 'unknown' when the target named neither namespace. */
  service: string;
  operation: string;
  resource: string | null;
  /** 'operator' (access key), 'user' (access token), 'client' (public call naming a client), 'anonymous'. */
  caller_kind: string;
  caller: string | null;
  client_id: string | null;
  source_ip: string;
  user_agent: string;
  /** Request parameters as canonical JSON with secrets replaced; null when the body was not a JSON object. */
  params: string | null;
  outcome: 'success' | 'failure';
  error_code: string | null;
  status: number;
  prev_hash: string;
  hash: string;
}
export interface AuditStateRow {
  id: number;
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
  pruned_at: number | null;
  /** The first record whose hash is a MAC (023); the ones before carry plain SHA-256. */
  keyed_from_seq: number | null;
  /** MAC of the chain state (store/audit.ts stateMac); null until the first keyed write. */
  state_mac: string | null;
}
export interface AuditTables {
  audit_records: AuditRecordRow;
  audit_state: AuditStateRow;
}
// IP rules (015).
export interface IpRuleRow {
  /** The pool ID or the app client ID the rules belong to. */
  target_id: string;
  kind: 'pool' | 'client';
  pool_id: string;
  /** JSON arrays of CIDR blocks. */
  allow_cidrs: string;
  deny_cidrs: string;
  updated_at: number;
}
export interface RateCounterRow {
  key: string;
  window_start: number;
  count: number;
}
export interface IpRuleTables {
  ip_rules: IpRuleRow;
  rate_counters: RateCounterRow;
}
// Wrapped data keys (016).
export interface DataKeyRow {
  id: string;
  /** The data key sealed under the master key (MasterKey.wrap). */
  wrapped: string;
  /** MasterKey.id of the master key that wraps it. */
  master_key_id: string;
  created_at: number;
  rewrapped_at: number | null;
}
export interface DataKeyTables {
  data_keys: DataKeyRow;
}
// Master key check value (017): the single row 'master'.
export interface MasterKeyCheckRow {
  id: string;
  check_value: string;
  created_at: number;
  updated_at: number;
}
export interface MasterKeyCheckTables {
  master_key_check: MasterKeyCheckRow;
}

// Cognate's opt-in password rules per pool (019); booleans as 0/1.
export interface PoolPasswordChecksRow {
  pool_id: string;
  reject_context_words: number;
  reject_common_passwords: number;
  updated_at: number;
}
export interface PasswordCheckTables {
  pool_password_checks: PoolPasswordChecksRow;
}

// OAuth and managed-login configuration (021).
export interface UserPoolDomainRow {
  domain: string;
  pool_id: string;
  custom: number;
  managed_login_version: number;
  certificate_arn: string | null;
  security_policy: string | null;
  cloudfront_distribution: string;
  version: string;
  created_at: number;
  updated_at: number;
}
export interface ResourceServerRow {
  pool_id: string;
  identifier: string;
  name: string;
  /** JSON: [{ScopeName, ScopeDescription}]. */
  scopes: string;
  created_at: number;
  updated_at: number;
}
export interface UiCustomizationRow {
  pool_id: string;
  client_id: string;
  css: string | null;
  /** Base64 of the image bytes. */
  image_file: string | null;
  image_type: string | null;
  created_at: number;
  updated_at: number;
}
export interface ManagedLoginBrandingRow {
  branding_id: string;
  pool_id: string;
  client_id: string;
  use_cognito_provided_values: number;
  /** JSON document, or null. */
  settings: string | null;
  /** JSON: [{Category, ColorMode, Extension, Bytes (base64), ResourceId}]. */
  assets: string;
  created_at: number;
  updated_at: number;
}
export interface TermsDocumentRow {
  terms_id: string;
  pool_id: string;
  client_id: string;
  terms_name: string;
  terms_source: string;
  enforcement: string;
  /** JSON: {languageId: url}. */
  links: string;
  created_at: number;
  updated_at: number;
}
export interface OAuthConfigTables {
  user_pool_domains: UserPoolDomainRow;
  resource_servers: ResourceServerRow;
  ui_customizations: UiCustomizationRow;
  managed_login_brandings: ManagedLoginBrandingRow;
  terms_documents: TermsDocumentRow;
}

export interface Tables
  extends GroupTables,
    OAuthConfigTables,
    AuthEventTables,
    RotationTables,
    LifecycleTables,
    PasswordHistoryTables,
    ClientSecretTables,
    MfaTables,
    DeviceTables,
    KeyPolicyTables,
    AuditTables,
    IpRuleTables,
    DataKeyTables,
    MasterKeyCheckTables,
    PasswordCheckTables,
    OAuthGrantTables {
  access_keys: AccessKeyRow;
  user_pools: UserPoolRow;
  user_pool_clients: UserPoolClientRow;
  signing_keys: SigningKeyRow;
  users: UserRow;
  user_attributes: UserAttributeRow;
  codes: CodeRow;
  sessions: SessionRow;
  auth_challenges: AuthChallengeRow;
  outbox: OutboxRow;
  counters: CounterRow;
}
