import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { User, UserPatch, UserStatus } from '../domain/user.ts';
import type { UserFilter } from '../domain/list-users-filter.ts';
import type { SessionRow, Tables, UserRow } from './tables.ts';
import { mfaSummaryOf, type MfaSummary } from './mfa.ts';
import { firstRow, prepared, rows } from './prepared.ts';

// The reads every request makes, built once (prepared.ts).
const userBySub = prepared((db, sub: string) => db.selectFrom('users').selectAll().where('sub', '=', sub));
const userByUsername = prepared((db, poolId: string, usernameKey: string) =>
  db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', usernameKey),
);
// Users holding an attribute value, oldest first. Driven from the attribute
// index whatever statistics the database has: SQLite never gathers them by
// itself, and without them it preferred walking the whole pool in creation
// order (users_pool_created serves the ORDER BY) and testing each user, which
// grows with the pool. `+ 0` keeps the ORDER BY from choosing that index; the
// few matching rows are sorted instead, sub breaking ties the same way on
// both databases.
const holders = (db: Kysely<Tables>, poolId: string, name: string, valueKey: string) =>
  db
    .selectFrom('user_attributes as a')
    .innerJoin('users', 'users.sub', 'a.sub')
    .selectAll('users')
    .where('a.pool_id', '=', poolId)
    .where('a.name', '=', name)
    .where('a.value_key', '=', valueKey)
    .orderBy(sql`${sql.ref('users.created_at')} + 0`)
    .orderBy('users.sub');
const usersByAttribute = prepared(holders);
// ListUsers' first page of an attribute-equals search (ARCHIVED users are listed only on a status filter).
const firstUsersWithAttribute = prepared((db, poolId: string, name: string, valueKey: string, limit: number) =>
  holders(db, poolId, name, valueKey).where('users.status', '!=', 'ARCHIVED').limit(limit),
);
// Filter attributes that are columns of users rather than rows of user_attributes (filterCondition).
const PLAIN_COLUMNS: ReadonlySet<string> = new Set(['username', 'sub', 'cognito:user_status', 'status']);

/** The attribute lookups as compiled: sign-in by email or alias, and ListUsers' first page (tests check their plans). */
export const attributeQueries = (db: Kysely<Tables>) => ({
  lookup: usersByAttribute(db, 'p', 'email', 'v'),
  firstPage: firstUsersWithAttribute(db, 'p', 'email', 'v', 1),
});
// An access-token call's reads in one statement (services/tokens.ts
// verifyAccess): the token family, the user it belongs to and that user's MFA
// summary (GetUser shows it). The session anchors the joins: any of the
// others may be missing. User columns come prefixed, the session's share names.
const USER_COLUMNS = [
  'sub',
  'pool_id',
  'username',
  'username_key',
  'status',
  'enabled',
  'password_hash',
  'srp_salt',
  'srp_verifier_sealed',
  'password_changed_at',
  'temp_password_expires_at',
  'failed_attempts',
  'consecutive_failures',
  'last_failed_at',
  'locked_until',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof UserRow)[];
const familyOf = prepared((db, originJti: string) =>
  db
    .selectFrom('sessions as s')
    .leftJoin('users as u', 'u.sub', 's.sub')
    .leftJoin('user_mfa as m', 'm.sub', 's.sub')
    .leftJoin('user_mfa_options as o', 'o.sub', 's.sub')
    .selectAll('s')
    .select(USER_COLUMNS.map((c) => `u.${c} as u_${c}` as const))
    .select(['m.sms_enabled', 'm.email_enabled', 'm.totp_enabled', 'm.preferred', 'o.mfa_options'])
    .where('s.origin_jti', '=', originJti),
);
const attributesOf = prepared((db, sub: string) => db.selectFrom('user_attributes').select(['name', 'value']).where('sub', '=', sub));

export interface UserPageCursor {
  createdAt: number;
  sub: string;
}

/**
 * Attribute rows named with this prefix hold a new email or phone number that
 * waits for verification (UserAttributeUpdateSettings.
 * AttributesRequireVerificationBeforeUpdate). No schema attribute can carry
 * the prefix, and they are never part of `User.attributes`, so no listing,
 * token or lookup sees them; `pendingAttributes` reads them.
 */
export const PENDING_PREFIX = 'cognate:pending:';

function toUser(row: UserRow, attrs: { name: string; value: string }[]): User {
  return {
    sub: row.sub,
    poolId: row.pool_id,
    username: row.username,
    status: row.status as UserStatus,
    enabled: Number(row.enabled) === 1,
    passwordHash: row.password_hash,
    srpSalt: row.srp_salt,
    srpVerifierSealed: row.srp_verifier_sealed,
    passwordChangedAt: num(row.password_changed_at),
    tempPasswordExpiresAt: num(row.temp_password_expires_at),
    failedAttempts: Number(row.failed_attempts),
    lastFailedAt: num(row.last_failed_at),
    lockedUntil: num(row.locked_until),
    attributes: Object.fromEntries(attrs.filter((a) => !a.name.startsWith(PENDING_PREFIX)).map((a) => [a.name, a.value])),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

/** Emails compare case-insensitively everywhere in Cognito; other values compare as given. */
export const attributeKey = (name: string, value: string): string => (name === 'email' ? value.toLowerCase() : value);

export class UserStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(user: User, usernameKey: string): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        sub: user.sub,
        pool_id: user.poolId,
        username: user.username,
        username_key: usernameKey,
        status: user.status,
        enabled: user.enabled ? 1 : 0,
        password_hash: user.passwordHash,
        srp_salt: user.srpSalt ?? null,
        srp_verifier_sealed: user.srpVerifierSealed ?? null,
        password_changed_at: user.passwordChangedAt,
        temp_password_expires_at: user.tempPasswordExpiresAt,
        failed_attempts: user.failedAttempts,
        consecutive_failures: 0,
        last_failed_at: user.lastFailedAt,
        locked_until: user.lockedUntil,
        created_at: user.createdAt,
        updated_at: user.updatedAt,
      })
      .execute();
    await this.setAttributes(user.poolId, user.sub, user.attributes);
  }

  async bySub(sub: string): Promise<User | null> {
    const row = await firstRow(this.db, userBySub(this.db, sub));
    return row ? this.hydrate(row) : null;
  }

  /**
   * The token family `originJti` (null if none), its user (null if gone) and
   * the user's MFA summary: what an access-token call reads, in one statement
   * and the user's attributes.
   */
  async family(originJti: string): Promise<{ session: SessionRow; user: User | null; mfa: MfaSummary } | null> {
    const row = await firstRow(this.db, familyOf(this.db, originJti));
    if (!row) return null;
    const session: SessionRow = {
      origin_jti: row.origin_jti,
      pool_id: row.pool_id,
      client_id: row.client_id,
      sub: row.sub,
      refresh_hash: row.refresh_hash,
      auth_time: row.auth_time,
      created_at: row.created_at,
      expires_at: row.expires_at,
      revoked_at: row.revoked_at,
      scope: row.scope ?? null,
    };
    const r = row as unknown as Record<string, unknown>;
    const user = row.u_sub === null ? null : await this.hydrate(Object.fromEntries(USER_COLUMNS.map((c) => [c, r[`u_${c}`]])) as unknown as UserRow);
    return { session, user, mfa: mfaSummaryOf(row) };
  }

  async byUsername(poolId: string, usernameKey: string): Promise<User | null> {
    const row = await firstRow(this.db, userByUsername(this.db, poolId, usernameKey));
    return row ? this.hydrate(row) : null;
  }

  /** Users whose attribute `name` equals `value` (emails compared without case), oldest first. */
  async byAttribute(poolId: string, name: string, value: string): Promise<User[]> {
    const found = await rows(this.db, usersByAttribute(this.db, poolId, name, attributeKey(name, value)));
    return Promise.all(found.map((r) => this.hydrate(r)));
  }

  async update(sub: string, patch: UserPatch, now: number): Promise<void> {
    const values: Partial<UserRow> = { updated_at: now };
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.enabled !== undefined) values.enabled = patch.enabled ? 1 : 0;
    if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
    if (patch.srpSalt !== undefined) values.srp_salt = patch.srpSalt;
    if (patch.srpVerifierSealed !== undefined) values.srp_verifier_sealed = patch.srpVerifierSealed;
    if (patch.passwordChangedAt !== undefined) values.password_changed_at = patch.passwordChangedAt;
    if (patch.tempPasswordExpiresAt !== undefined) values.temp_password_expires_at = patch.tempPasswordExpiresAt;
    if (patch.failedAttempts !== undefined) values.failed_attempts = patch.failedAttempts;
    // Clearing the lockout count (a success, a new password) ends the run of consecutive failures too.
    if (patch.failedAttempts === 0) values.consecutive_failures = 0;
    if (patch.lastFailedAt !== undefined) values.last_failed_at = patch.lastFailedAt;
    if (patch.lockedUntil !== undefined) values.locked_until = patch.lockedUntil;
    await this.db.updateTable('users').set(values).where('sub', '=', sub).execute();
  }

  /**
   * Counts one failed sign-in in a single statement, so concurrent failures
   * each count (a read-then-write would lose them). `recent` restarts when the
   * last failure is older than `forgetAfterMs` (the lockout schedule);
   * `consecutive` runs until a success (the hard stop). Null for no such user.
   */
  async countFailure(sub: string, now: number, forgetAfterMs: number): Promise<{ recent: number; consecutive: number } | null> {
    const row = await this.db
      .updateTable('users')
      .set({
        failed_attempts: sql<number>`case when last_failed_at is null or last_failed_at < ${now - forgetAfterMs} then 1 else failed_attempts + 1 end`,
        consecutive_failures: sql<number>`consecutive_failures + 1`,
        last_failed_at: now,
        updated_at: now,
      })
      .where('sub', '=', sub)
      .returning(['failed_attempts', 'consecutive_failures'])
      .executeTakeFirst();
    return row ? { recent: Number(row.failed_attempts), consecutive: Number(row.consecutive_failures) } : null;
  }

  /**
   * Counts a guess at a one-time code BEFORE it is checked, only while the
   * account is not locked, and sets in the same statement the lock the new
   * count earns (`schedule`: the lock end for each count, highest first).
   * Parallel guesses each take their own number and those past the schedule
   * find the lock already set; counting after the check would let a burst
   * of cheap guesses through before the first failure landed. Null when the
   * account is locked (or there is no such user).
   */
  async reserveGuess(
    sub: string,
    now: number,
    forgetAfterMs: number,
    schedule: readonly { atLeast: number; until: number }[],
  ): Promise<{ recent: number; consecutive: number } | null> {
    const recent = sql<number>`(case when last_failed_at is null or last_failed_at < ${now - forgetAfterMs} then 1 else failed_attempts + 1 end)`;
    const lock = schedule.length
      ? sql<number>`case ${sql.join(
          schedule.map((s) => sql`when ${recent} >= ${s.atLeast} then ${s.until}`),
          sql` `,
        )} else locked_until end`
      : sql<number>`locked_until`;
    const row = await this.db
      .updateTable('users')
      .set({
        failed_attempts: recent,
        consecutive_failures: sql<number>`consecutive_failures + 1`,
        last_failed_at: now,
        locked_until: lock,
        updated_at: now,
      })
      .where('sub', '=', sub)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returning(['failed_attempts', 'consecutive_failures'])
      .executeTakeFirst();
    return row ? { recent: Number(row.failed_attempts), consecutive: Number(row.consecutive_failures) } : null;
  }

  /** Gives back a guess reserved by `reserveGuess` that was right, with the lock it set if the count falls below `lockAfter`. */
  async releaseGuess(sub: string, lockAfter: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({
        failed_attempts: sql<number>`case when failed_attempts > 0 then failed_attempts - 1 else 0 end`,
        consecutive_failures: sql<number>`case when consecutive_failures > 0 then consecutive_failures - 1 else 0 end`,
        locked_until: sql<number>`case when failed_attempts - 1 < ${lockAfter} then null else locked_until end`,
      })
      .where('sub', '=', sub)
      .execute();
  }

  /** Extends a lockout to `until`, never shortening one set by a later failure. */
  async lockUntil(sub: string, until: number, resetRequired: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({
        locked_until: sql<number>`case when locked_until is null or locked_until < ${until} then ${until} else locked_until end`,
        // The hard stop never moves an archived account back into view, nor
        // a compromised one (which already needs a reset) out of its state.
        ...(resetRequired ? { status: sql<string>`case when status in ('ARCHIVED', 'COMPROMISED') then status else 'RESET_REQUIRED' end` } : {}),
      })
      .where('sub', '=', sub)
      .execute();
  }

  /** Sets (inserts or replaces) the given attributes; others are untouched. */
  async setAttributes(poolId: string, sub: string, attrs: Record<string, string>): Promise<void> {
    const entries = Object.entries(attrs);
    if (!entries.length) return;
    await this.db
      .deleteFrom('user_attributes')
      .where('sub', '=', sub)
      .where(
        'name',
        'in',
        entries.map(([n]) => n),
      )
      .execute();
    await this.db
      .insertInto('user_attributes')
      .values(entries.map(([name, value]) => ({ sub, pool_id: poolId, name, value, value_key: attributeKey(name, value) })))
      .execute();
  }

  async deleteAttributes(sub: string, names: string[]): Promise<void> {
    if (!names.length) return;
    await this.db.deleteFrom('user_attributes').where('sub', '=', sub).where('name', 'in', names).execute();
  }

  /** Deletes attributes with any value waiting to replace them, and marks the user modified (Admin/DeleteUserAttributes). */
  async removeAttributes(sub: string, names: string[], now: number): Promise<void> {
    await this.deleteAttributes(sub, names);
    await this.clearPendingAttributes(sub, names);
    await this.update(sub, {}, now);
  }

  /** Values waiting for verification before they replace the attribute, by attribute name. */
  async pendingAttributes(sub: string): Promise<Record<string, string>> {
    const rows = await this.db
      .selectFrom('user_attributes')
      .select(['name', 'value'])
      .where('sub', '=', sub)
      .where('name', 'like', `${PENDING_PREFIX}%`)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.name.slice(PENDING_PREFIX.length), r.value]));
  }

  async setPendingAttribute(poolId: string, sub: string, name: string, value: string): Promise<void> {
    await this.setAttributes(poolId, sub, { [PENDING_PREFIX + name]: value });
  }

  async clearPendingAttributes(sub: string, names: string[]): Promise<void> {
    await this.deleteAttributes(
      sub,
      names.map((n) => PENDING_PREFIX + n),
    );
  }

  async delete(sub: string): Promise<void> {
    await this.db.deleteFrom('users').where('sub', '=', sub).execute();
  }

  async countInPool(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * One page of a pool's users in creation order, filtered in the database.
   * `=` is an exact match and `^=` a prefix match. Case rules follow the
   * ListUsers reference: `username` as the pool stores it (its lower-cased key
   * in case-insensitive pools), `cognito:user_status` without case, `status`
   * (`Enabled`/`Disabled`) with case, `email` without case (its stored key is
   * lower-cased), other attributes exactly as given. ARCHIVED users are left
   * out unless the filter is on `cognito:user_status` (services/lifecycle.ts):
   * `cognito:user_status = "ARCHIVED"` lists them.
   */
  async list(
    poolId: string,
    filter: UserFilter | null,
    limit: number,
    after: UserPageCursor | null,
    opts: { caseSensitiveUsernames: boolean } = { caseSensitiveUsernames: true },
  ): Promise<User[]> {
    // The common search (an attribute equal to a value, first page: looking a
    // user up by email) has its query built once (prepared.ts).
    if (filter && !filter.prefix && !after && !PLAIN_COLUMNS.has(filter.attribute)) {
      return this.hydrateMany(
        await rows(this.db, firstUsersWithAttribute(this.db, poolId, filter.attribute, attributeKey(filter.attribute, filter.value), limit)),
      );
    }
    let q = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('sub', '>', after.sub)])]));
    }
    if (filter) q = q.where((eb) => this.filterCondition(eb, poolId, filter, opts.caseSensitiveUsernames));
    if (filter?.attribute !== 'cognito:user_status') q = q.where('status', '!=', 'ARCHIVED');
    return this.hydrateMany(await q.orderBy('created_at').orderBy('sub').limit(limit).execute());
  }

  private filterCondition(eb: ExpressionBuilder<Tables, 'users'>, poolId: string, filter: UserFilter, caseSensitiveUsernames: boolean): Expression<SqlBool> {
    // Values are normalised here, in JS, as they were when stored: SQLite's
    // lower() folds ASCII only. A prefix is a range, [prefix, successor), so
    // an index on the column serves it; text compares by code point on both
    // databases (SQLite's binary collation, PostgreSQL's C collation, which
    // pagination relies on too: test/store-contract.test.ts).
    const match = (column: string, value: string) => {
      if (!filter.prefix) return sql<boolean>`${sql.ref(column)} = ${value}`;
      if (value === '') return sql<boolean>`1 = 1`;
      const upper = prefixSuccessor(value);
      if (upper === null) return sql<boolean>`${sql.ref(column)} >= ${value}`;
      return sql<boolean>`${sql.ref(column)} >= ${value} and ${sql.ref(column)} < ${upper}`;
    };
    // No index on (pool_id, username): case-sensitive username prefixes keep the code-point substr() test.
    const substrMatch = (column: string, value: string) => {
      if (!filter.prefix || value === '') return match(column, value);
      return sql<boolean>`substr(${sql.ref(column)}, 1, ${[...value].length}) = ${value}`;
    };
    const v = filter.value;
    switch (filter.attribute) {
      case 'username':
        return caseSensitiveUsernames ? substrMatch('users.username', v) : match('users.username_key', v.toLowerCase());
      case 'sub':
        return match('users.sub', v);
      case 'cognito:user_status':
        return match('users.status', v.toUpperCase());
      case 'status': {
        const hits = ['Enabled', 'Disabled'].filter((s) => (filter.prefix ? s.startsWith(v) : s === v));
        if (hits.length === 0) return sql<boolean>`1 = 0`;
        if (hits.length === 2) return sql<boolean>`1 = 1`;
        return sql<boolean>`${sql.ref('users.enabled')} = ${hits[0] === 'Enabled' ? 1 : 0}`;
      }
      default: {
        const name = filter.attribute;
        // Driven from the attribute index (pool, name, value_key) for exact matches.
        const holders = this.db
          .selectFrom('user_attributes as a')
          .select('a.sub')
          .where('a.pool_id', '=', poolId)
          .where('a.name', '=', name)
          .where(match('a.value_key', attributeKey(name, v)));
        return eb('users.sub', 'in', holders);
      }
    }
  }

  private async hydrate(row: UserRow): Promise<User> {
    return toUser(row, await rows(this.db, attributesOf(this.db, row.sub)));
  }

  private async hydrateMany(rows: UserRow[]): Promise<User[]> {
    if (!rows.length) return [];
    const attrs = await this.db
      .selectFrom('user_attributes')
      .select(['sub', 'name', 'value'])
      .where(
        'sub',
        'in',
        rows.map((r) => r.sub),
      )
      .execute();
    return rows.map((r) =>
      toUser(
        r,
        attrs.filter((a) => a.sub === r.sub),
      ),
    );
  }
}

/**
 * The least string above every string that starts with `prefix`, in code
 * point order: the prefix with its last code point raised by one (past the
 * surrogate block, which UTF-8 cannot hold), dropping trailing U+10FFFF.
 * Null when there is none (the prefix is all U+10FFFF).
 */
export function prefixSuccessor(prefix: string): string | null {
  const points = [...prefix].map((ch) => ch.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      points.push(last + 1 === 0xd800 ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return null;
}
