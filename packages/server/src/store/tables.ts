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
}

export interface CounterRow {
  key: string;
  window_start: number;
  count: number;
}

// Each feature's tables, declared in its own section so features grow apart.
// Groups and memberships (004).
export interface GroupTables {}
// Auth event history (005).
export interface AuthEventTables {}
// Refresh-token rotation (006).
export interface RotationTables {}
// ARCHIVED / COMPROMISED lifecycle (007).
export interface LifecycleTables {}
// Password history (008).
export interface PasswordHistoryTables {}

export interface Tables extends GroupTables, AuthEventTables, RotationTables, LifecycleTables, PasswordHistoryTables {
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
