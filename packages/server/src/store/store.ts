import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { MasterKey } from '../crypto/master-key.ts';
import { AuditStore } from './audit.ts';
import { DataKeyStore } from './data-keys.ts';
import { DeviceStore } from './devices.ts';
import { DomainStore } from './domains.ts';
import { ManagedLoginBrandingStore } from './managed-login-branding.ts';
import { AuthEventStore } from './events.ts';
import { GroupStore } from './groups.ts';
import { KeyPolicyStore } from './key-policies.ts';
import { LifecycleStore } from './lifecycle.ts';
import { MfaStore } from './mfa.ts';
import { OAuthGrantStore } from './oauth-grants.ts';
import { OutboxStore } from './outbox.ts';
import { PasswordCheckStore } from './password-checks.ts';
import { PasswordHistoryStore } from './password-history.ts';
import { PoolStore } from './pools.ts';
import { ProtectionStore } from './protection.ts';
import { CacheScope, ReadCache } from './read-cache.ts';
import { serializeTransaction, type TransactionLock } from './postgres.ts';
import { DeadlinePlugin } from './deadline.ts';
import { RefreshTokenStore } from './refresh-tokens.ts';
import { ResourceServerStore } from './resource-servers.ts';
import { SigningKeyStore } from './signing-keys.ts';
import type { Tables } from './tables.ts';
import { TermsStore } from './terms.ts';
import { TokenStore } from './tokens.ts';
import { UiCustomizationStore } from './ui-customizations.ts';
import { UnknownNameStore } from './unknown-names.ts';
import { UserStore } from './users.ts';

// The storage contract: narrow, named methods grouped by what they store,
// over one Kysely instance, so SQLite and PostgreSQL share one implementation.
// `transaction` hands the callback a Store bound to one transaction: every
// multi-row write goes through it, and nothing of a failed operation remains.
export class Store {
  readonly pools: PoolStore;
  readonly users: UserStore;
  readonly tokens: TokenStore;
  readonly outbox: OutboxStore;
  readonly groups: GroupStore;
  readonly events: AuthEventStore;
  readonly passwordHistory: PasswordHistoryStore;
  readonly passwordChecks: PasswordCheckStore;
  readonly lifecycle: LifecycleStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly unknownNames: UnknownNameStore;
  readonly mfa: MfaStore;
  readonly devices: DeviceStore;
  readonly dataKeys: DataKeyStore;
  readonly signingKeys: SigningKeyStore;
  readonly protection: ProtectionStore;
  readonly keyPolicies: KeyPolicyStore;
  readonly audit: AuditStore;
  readonly domains: DomainStore;
  readonly resourceServers: ResourceServerStore;
  readonly uiCustomizations: UiCustomizationStore;
  readonly managedLoginBranding: ManagedLoginBrandingStore;
  readonly terms: TermsStore;
  readonly oauthGrants: OAuthGrantStore;

  private readonly scope: CacheScope;

  /**
   * `cache`: the node's read cache, shared by the Stores of its transactions
   * (a fresh one when not given). `transactionTimeoutMs`: a transaction still
   * running past it fails at its next statement and rolls back
   * (store/deadline.ts); null for none.
   */
  constructor(
    readonly db: Kysely<Tables>,
    private readonly master: MasterKey,
    cache: ReadCache = new ReadCache(),
    private readonly transactionTimeoutMs: number | null = null,
  ) {
    this.scope = new CacheScope(cache, db.isTransaction);
    this.pools = new PoolStore(db, master, this.scope);
    this.users = new UserStore(db);
    this.tokens = new TokenStore(db);
    this.outbox = new OutboxStore(db);
    this.groups = new GroupStore(db);
    this.events = new AuthEventStore(db);
    this.passwordHistory = new PasswordHistoryStore(db);
    this.passwordChecks = new PasswordCheckStore(db);
    this.lifecycle = new LifecycleStore(db);
    this.refreshTokens = new RefreshTokenStore(db);
    this.unknownNames = new UnknownNameStore(db);
    this.mfa = new MfaStore(db);
    this.devices = new DeviceStore(db);
    this.dataKeys = new DataKeyStore(db);
    this.signingKeys = new SigningKeyStore(db, this.scope);
    this.protection = new ProtectionStore(db, this.scope);
    this.keyPolicies = new KeyPolicyStore(db);
    this.audit = new AuditStore(db, master);
    this.domains = new DomainStore(db);
    this.resourceServers = new ResourceServerStore(db);
    this.uiCustomizations = new UiCustomizationStore(db);
    this.managedLoginBranding = new ManagedLoginBrandingStore(db);
    this.terms = new TermsStore(db);
    this.oauthGrants = new OAuthGrantStore(db);
  }

  /**
   * Runs `fn` in one transaction. `commit: 'relaxed'` (the audit queue's
   * batches only, audit/queue.ts) returns from COMMIT without waiting for the
   * disk: SQLite's synchronous=NORMAL for that one transaction, PostgreSQL's
   * synchronous_commit=off. A process crash loses nothing; a power cut may
   * lose the last such commits, never a durable one made after them, and
   * the database stays consistent (a prefix of the commits).
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>, lock: TransactionLock = 'store', commit: 'durable' | 'relaxed' = 'durable'): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    const postgres = this.db.getExecutor().adapter instanceof PostgresAdapter;
    // SQLite's setting belongs to the connection: set and restored around the transaction while holding it, so no other transaction commits relaxed.
    if (commit === 'relaxed' && !postgres)
      return this.db.connection().execute(async (conn) => {
        await sql`pragma synchronous = NORMAL`.execute(conn);
        try {
          return await new Store(conn, this.master, this.scope.cache, this.transactionTimeoutMs).transaction(fn, lock);
        } finally {
          await sql`pragma synchronous = FULL`.execute(conn);
        }
      });
    let inner: Store | undefined;
    const result = await this.db.transaction().execute(async (trx) => {
      const bounded = this.transactionTimeoutMs === null ? trx : trx.withPlugin(new DeadlinePlugin(this.transactionTimeoutMs));
      // PostgreSQL: one transaction at a time per schema, as SQLite's single connection gives (postgres.ts).
      await serializeTransaction(bounded, lock);
      if (commit === 'relaxed') await sql`set local synchronous_commit = off`.execute(bounded);
      inner = new Store(bounded, this.master, this.scope.cache);
      return fn(inner);
    });
    inner?.scope.committed();
    return result;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
