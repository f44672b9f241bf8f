import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { configFor } from '../src/config/load.ts';
import { MasterKey } from '../src/crypto/master-key.ts';
import { newPoolSettings } from '../src/domain/pool-settings.ts';
import type { User } from '../src/domain/user.ts';
import { openDatabase } from '../src/store/open.ts';
import { parsePostgresUrl } from '../src/store/postgres.ts';
import { Store } from '../src/store/store.ts';
import { createTestSchema, testDatabase, type TestSchema } from './helpers/database.ts';

// The storage contract, asserted the same way on whichever database this pass
// runs on (scripts/run-tests.js runs it once on SQLite, once on PostgreSQL):
// rows come back with the same JS types, text sorts and compares the same,
// single-statement counters hold under concurrency, and migrations run once.

const master = MasterKey.fromBytes(randomBytes(32));
const NOW = 1_767_225_600_000; // 2026-01-01, well beyond 32-bit integers

interface Place {
  config: ReturnType<typeof configFor>;
  cleanup(): Promise<void>;
}

/** A fresh, empty database for this pass: a SQLite file or a PostgreSQL schema. */
async function freshPlace(): Promise<Place> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-contract-'));
  let schema: TestSchema | null = null;
  if (testDatabase() === 'postgres') schema = await createTestSchema();
  const config = configFor({ dataDir, ...(schema ? { databaseUrl: schema.url, databasePoolSize: 4 } : {}) });
  return {
    config,
    async cleanup() {
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function openStore(place: Place): Promise<Store> {
  return new Store((await openDatabase(place.config)).db, master);
}

function pool(id: string) {
  return { id, name: `pool ${id}`, settings: newPoolSettings({ PoolName: `pool ${id}` }), createdAt: NOW, updatedAt: NOW };
}

function user(poolId: string, sub: string, username: string, attributes: Record<string, string> = {}, createdAt = NOW): User {
  return {
    sub,
    poolId,
    username,
    status: 'CONFIRMED',
    enabled: true,
    passwordHash: null,
    passwordChangedAt: NOW,
    tempPasswordExpiresAt: null,
    failedAttempts: 0,
    lastFailedAt: null,
    lockedUntil: null,
    attributes,
    createdAt,
    updatedAt: createdAt,
  };
}

describe(`store contract (${testDatabase()})`, () => {
  let place: Place;
  let store: Store;

  before(async () => {
    place = await freshPlace();
    store = await openStore(place);
  });
  after(async () => {
    await store.close();
    await place.cleanup();
  });

  it('returns BIGINT and INTEGER columns as JS numbers, as SQLite does', async () => {
    await store.pools.insertPool(pool('us-east-1_types'));
    await store.users.insert(user('us-east-1_types', 'sub-types', 'typed'), 'typed');
    const row = await store.db.selectFrom('users').selectAll().where('sub', '=', 'sub-types').executeTakeFirstOrThrow();
    assert.equal(row.created_at, NOW);
    assert.equal(typeof row.created_at, 'number');
    assert.equal(row.enabled, 1);
    assert.equal(typeof row.failed_attempts, 'number');
    const count = await store.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(typeof count.n, 'number');
    assert.deepEqual((await store.users.bySub('sub-types'))?.createdAt, NOW);
  });

  it('orders and compares text by code point (pagination cursors rely on it)', async () => {
    const ids = ['us-east-1_b', 'us-east-1_B', 'us-east-1_a', 'us-east-1_Z', 'us-east-1_é', 'us-east-1_z0', 'us-east-1__'];
    for (const id of ids) await store.pools.insertPool(pool(id));
    const listed = (await store.pools.listPools(100, 'us-east-1_')).map((p) => p.id).filter((id) => ids.includes(id));
    assert.deepEqual(listed, [...ids].sort());
    const after = (await store.pools.listPools(100, 'us-east-1_Z')).map((p) => p.id).filter((id) => ids.includes(id));
    assert.deepEqual(
      after,
      [...ids].sort().filter((id) => id > 'us-east-1_Z'),
    );
  });

  it('filters ListUsers with exact and prefix matches, emails without case, other values with case and by code point', async () => {
    const p = 'us-east-1_filter';
    await store.pools.insertPool(pool(p));
    await store.users.insert(user(p, 'f1', 'Ünïcode', { email: 'Mixed@Example.com', name: 'Zoë Smith' }, NOW + 1), 'Ünïcode');
    await store.users.insert(user(p, 'f2', 'plain', { email: 'other@example.com', name: 'zoe smith' }, NOW + 2), 'plain');
    const subs = async (attribute: string, prefix: boolean, value: string) =>
      (await store.users.list(p, { attribute: attribute as 'email', prefix, value }, 60, null)).map((u) => u.sub);
    assert.deepEqual(await subs('email', false, 'mixed@example.COM'), ['f1']);
    assert.deepEqual(await subs('email', true, 'MIXED@'), ['f1']);
    assert.deepEqual(await subs('name', true, 'Zoë'), ['f1']);
    assert.deepEqual(await subs('name', true, 'zo'), ['f2']);
    assert.deepEqual(await subs('username', true, 'Ünï'), ['f1']);
    assert.deepEqual(await subs('username', true, 'ünï'), []);
    assert.deepEqual(await subs('username', true, ''), ['f1', 'f2']);
    assert.deepEqual(await subs('status', false, 'Enabled'), ['f1', 'f2']);
    // The pending-attribute rows (a LIKE on a prefix) stay apart from the attributes.
    await store.users.setPendingAttribute(p, 'f1', 'email', 'new@example.com');
    assert.deepEqual(await store.users.pendingAttributes('f1'), { email: 'new@example.com' });
    assert.equal((await store.users.bySub('f1'))?.attributes['email'], 'Mixed@Example.com');
  });

  it('counts concurrent failed sign-ins and rate-limit hits without losing one', async () => {
    const p = 'us-east-1_race';
    await store.pools.insertPool(pool(p));
    await store.users.insert(user(p, 'racer', 'racer'), 'racer');
    const failures = await Promise.all(Array.from({ length: 20 }, () => store.users.countFailure('racer', NOW, 900_000)));
    assert.deepEqual(
      failures.map((f) => f!.consecutive).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const hits = await Promise.all(Array.from({ length: 20 }, () => store.tokens.hit('race-key', 3_600_000, NOW)));
    assert.deepEqual(
      [...hits].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.equal(await store.tokens.peek('race-key', 3_600_000, NOW), 20);
    // A hit after the window starts a new one.
    assert.equal(await store.tokens.hit('race-key', 3_600_000, NOW + 3_600_000), 1);
    const unknown = await Promise.all(Array.from({ length: 10 }, () => store.unknownNames.countFailure('mac-of-name', NOW, 900_000, 100)));
    assert.equal(Math.max(...unknown.map((u) => u.consecutive)), 10);
  });

  it('upserts (ON CONFLICT) and appends auth events in sequence, keeping numbers numeric', async () => {
    const p = 'us-east-1_upsert';
    await store.pools.insertPool(pool(p));
    await store.users.insert(user(p, 'ev', 'ev'), 'ev');
    await store.lifecycle.setRetentionDays(p, 30, NOW);
    await store.lifecycle.setRetentionDays(p, 45, NOW + 1);
    assert.equal(await store.lifecycle.retentionDays(p), 45);
    for (let i = 0; i < 3; i++) {
      const appended = await store.events.append({
        event_id: `e${i}`,
        pool_id: p,
        sub: 'ev',
        event_type: 'SignIn',
        event_response: 'Pass',
        challenge_responses: '[]',
        ip_address: '127.0.0.1',
        device_name: 'test',
        created_at: NOW + i,
      });
      assert.equal(appended, true);
    }
    const events = await store.events.list('ev', 10, null);
    assert.deepEqual(
      events.map((e) => [e.event_id, e.seq, e.created_at]),
      [
        ['e2', 3, NOW + 2],
        ['e1', 2, NOW + 1],
        ['e0', 1, NOW],
      ],
    );
    // Nothing is written for a user that does not exist.
    assert.equal(await store.events.append({ ...events[0]!, event_id: 'ghost', sub: 'nobody' }), false);
  });

  it('finds the newest code even when several are sent in one millisecond', async () => {
    const p = 'us-east-1_codes';
    await store.pools.insertPool(pool(p));
    await store.users.insert(user(p, 'coder', 'coder'), 'coder');
    for (const id of ['code-1', 'code-2', 'code-3']) {
      await store.tokens.insertCode({
        id,
        pool_id: p,
        sub: 'coder',
        purpose: 'signup',
        code_hash: id,
        expires_at: NOW + 1000,
        consumed_at: null,
        attempts: 0,
        created_at: NOW,
      });
    }
    assert.equal((await store.tokens.latestCode('coder', 'signup'))?.id, 'code-3');
  });

  it('rolls a failed transaction back completely', async () => {
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.pools.insertPool(pool('us-east-1_rollback'));
        await tx.users.insert(user('us-east-1_rollback', 'rb', 'rb'), 'rb');
        await tx.users.insert(user('us-east-1_rollback', 'rb2', 'rb'), 'rb'); // same username: unique violation
      }),
    );
    assert.equal(await store.pools.pool('us-east-1_rollback'), null);
    assert.equal(await store.users.bySub('rb'), null);
  });

  it('runs transactions one at a time, so a check-then-insert cannot race', async () => {
    const id = 'us-east-1_checked';
    const attempt = () =>
      store.transaction(async (tx) => {
        if (await tx.pools.pool(id)) return 'found';
        await new Promise((r) => setTimeout(r, 50)); // widen the window between the check and the write
        await tx.pools.insertPool(pool(id));
        return 'inserted';
      });
    const outcomes = await Promise.all([attempt(), attempt(), attempt()]);
    assert.deepEqual([...outcomes].sort(), ['found', 'found', 'inserted']);
  });

  it('deletes a pool with everything kept by its ID, and nothing of another database', async () => {
    const p = 'us-east-1_sweep';
    const other = await freshPlace();
    const otherStore = await openStore(other);
    try {
      for (const s of [store, otherStore]) {
        await s.pools.insertPool(pool(p));
        await s.users.insert(user(p, 'sw', 'sw'), 'sw');
        await s.tokens.insertChallenge({ id: 'ch-sw', pool_id: p, client_id: 'c', sub: 'sw', challenge: 'X', state: '{}', expires_at: NOW, consumed_at: null });
      }
      await store.transaction((tx) => tx.pools.deletePool(p));
      assert.equal(await store.pools.pool(p), null);
      assert.equal(await store.users.bySub('sw'), null);
      assert.equal(await store.tokens.openChallenge('ch-sw'), null);
      assert.ok(await otherStore.pools.pool(p));
      assert.ok(await otherStore.tokens.openChallenge('ch-sw'));
    } finally {
      await otherStore.close();
      await other.cleanup();
    }
  });

  // Several processes at once on one SQLite file is not supported yet (Kysely
  // takes no migration lock on SQLite), so there they start one after another.
  it('migrates once when several nodes start together on a fresh database, and again as a no-op', async () => {
    const fresh = await freshPlace();
    try {
      const starts = [0, 1, 2].map(() => () => openDatabase(fresh.config));
      const opened = testDatabase() === 'postgres' ? await Promise.all(starts.map((s) => s())) : [await starts[0]!(), await starts[1]!(), await starts[2]!()];
      const again = await openDatabase(fresh.config);
      opened.push(again);
      const names = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(again.db);
      assert.equal(names.rows.length, new Set(names.rows.map((r) => r.name)).size);
      assert.ok(names.rows.some((r) => r.name === '001-initial'));
      for (const o of opened) await o.db.destroy();
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('PostgreSQL settings', { skip: testDatabase() !== 'postgres' }, () => {
  it('forces synchronous_commit=on even when the connection asks for off', async () => {
    const place = await freshPlace();
    try {
      const url = new URL(place.config.databaseUrl!);
      url.searchParams.set('options', '-c synchronous_commit=off');
      const { db, kind } = await openDatabase({ ...place.config, databaseUrl: url.toString() });
      try {
        assert.equal(kind, 'postgres');
        const shown = await Promise.all([0, 1, 2].map(() => sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db)));
        assert.deepEqual(
          shown.map((r) => r.rows[0]?.synchronous_commit),
          ['on', 'on', 'on'],
        );
      } finally {
        await db.destroy();
      }
    } finally {
      await place.cleanup();
    }
  });

  it('keeps its tables in the schema named in the URL and refuses unsafe schema names', async () => {
    const place = await freshPlace();
    try {
      const { db } = await openDatabase(place.config);
      const schema = parsePostgresUrl(place.config.databaseUrl!).schema;
      const tables = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_tables WHERE schemaname = ${schema} AND tablename = 'users'`.execute(db);
      assert.equal(tables.rows[0]?.n, 1);
      await db.destroy();
    } finally {
      await place.cleanup();
    }
    assert.throws(() => parsePostgresUrl('postgres://u@h/db?schema=x";drop'), /schema must be a lower-case identifier/);
    assert.throws(() => parsePostgresUrl('mysql://u@h/db'), /must be a postgres:\/\/ URL/);
  });
});

describe('relaxed commits (the audit queue only)', () => {
  const setting = async (store: Store): Promise<string> =>
    testDatabase() === 'postgres'
      ? String((await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(store.db)).rows[0]?.synchronous_commit)
      : String((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous);

  it('commits the transaction without waiting for the disk, then every later transaction waits again', async () => {
    const place = await freshPlace();
    const store = await openStore(place);
    try {
      const durable = testDatabase() === 'postgres' ? 'on' : '2';
      const relaxed = testDatabase() === 'postgres' ? 'off' : '1';
      assert.equal(await setting(store), durable);
      const inside = await store.transaction((tx) => setting(tx), 'audit', 'relaxed');
      assert.equal(inside, relaxed, 'the relaxed transaction runs with the relaxed setting');
      assert.equal(await store.transaction((tx) => setting(tx)), durable, 'an operation transaction after it is durable again');
      assert.equal(await setting(store), durable);
      // Concurrent with a relaxed one, an operation's transaction never sees the relaxed setting.
      const seen = await Promise.all([
        store.transaction((tx) => setting(tx), 'audit', 'relaxed'),
        store.transaction((tx) => setting(tx)),
        store.transaction((tx) => setting(tx), 'audit', 'relaxed'),
        store.transaction((tx) => setting(tx)),
      ]);
      assert.deepEqual(seen, [relaxed, durable, relaxed, durable]);
    } finally {
      await store.close();
      await place.cleanup();
    }
  });
});
