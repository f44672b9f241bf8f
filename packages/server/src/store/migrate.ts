import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.ts';
import * as srp from './migrations/002-srp.ts';
import * as consecutiveFailures from './migrations/003-consecutive-failures.ts';
import * as groups from './migrations/004-groups.ts';
import * as authEvents from './migrations/005-auth-events.ts';
import * as refreshRotation from './migrations/006-refresh-rotation.ts';
import * as lifecycle from './migrations/007-lifecycle.ts';
import * as passwordHistory from './migrations/008-password-history.ts';
import * as clientSecrets from './migrations/009-client-secrets.ts';
import * as mfa from './migrations/010-mfa.ts';
import * as userAuth from './migrations/011-user-auth.ts';
import * as devices from './migrations/012-devices.ts';
import * as keyPolicies from './migrations/013-key-policies.ts';
import * as audit from './migrations/014-audit.ts';
import * as ipRules from './migrations/015-ip-rules.ts';
import * as dataKeys from './migrations/016-data-keys.ts';
import * as masterKeyCheck from './migrations/017-master-key-check.ts';
import * as outboxAttempts from './migrations/018-outbox-attempts.ts';
import * as passwordChecks from './migrations/019-password-checks.ts';
import * as sessionScopes from './migrations/020-session-scopes.ts';
import * as oauthConfiguration from './migrations/021-oauth-configuration.ts';
import * as oauthGrants from './migrations/022-oauth-grants.ts';
import * as auditKeyed from './migrations/023-audit-keyed.ts';

// Migrations are compiled in, not read from a folder at run time, so a
// bundled or relocated server still finds them.
const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-srp': srp,
  '003-consecutive-failures': consecutiveFailures,
  '004-groups': groups,
  '005-auth-events': authEvents,
  '006-refresh-rotation': refreshRotation,
  '007-lifecycle': lifecycle,
  '008-password-history': passwordHistory,
  '009-client-secrets': clientSecrets,
  '010-mfa': mfa,
  '011-user-auth': userAuth,
  '012-devices': devices,
  '013-key-policies': keyPolicies,
  '014-audit': audit,
  '015-ip-rules': ipRules,
  '016-data-keys': dataKeys,
  '017-master-key-check': masterKeyCheck,
  '018-outbox-attempts': outboxAttempts,
  '019-password-checks': passwordChecks,
  '020-session-scopes': sessionScopes,
  '021-oauth-configuration': oauthConfiguration,
  '022-oauth-grants': oauthGrants,
  '023-audit-keyed': auditKeyed,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * `schema` names where Kysely keeps its migration bookkeeping on PostgreSQL:
 * without it Kysely would take a `kysely_migration` table in any schema of
 * the database as ours.
 */
export async function migrate(db: Kysely<unknown>, opts: { schema?: string } = {}): Promise<string[]> {
  const migrator = new Migrator({ db, provider, ...(opts.schema ? { migrationTableSchema: opts.schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  // The migrations this call applied (none when another node or an earlier start did).
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
