import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { audit } from '../src/cli/audit.ts';
import { AuditStore, GENESIS_HASH, recordHash } from '../src/store/audit.ts';
import type { AuditRecordRow, AuditStateRow } from '../src/store/tables.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The audit chain is a MAC chain (issue 20): each record's hash is an
// HMAC-SHA256 under a key derived from the master key, and the chain state
// (head, pruning anchor, keyed boundary) carries a MAC too. Someone who can
// write the database but does not hold the master key can edit, truncate or
// rewrite the chain with recomputed plain SHA-256 hashes, and `cognate audit
// verify` still catches it. Records written before the upgrade keep their
// plain hashes and verify as such.

describe('audit chain keyed with the master key', () => {
  let c: Running;
  const db = () => c.deps.store.db;
  const flags = (): Record<string, string> => ({
    'data-dir': c.dataDir,
    ...(c.deps.config.databaseUrl ? { 'database-url': c.deps.config.databaseUrl } : {}),
  });
  const verify = async (): Promise<{ code: number; out: string }> => {
    await c.flushAudit();
    let out = '';
    const code = await audit(['verify'], flags(), { out: (t) => (out += t), err: (t) => (out += t) });
    return { code, out };
  };
  const records = async (): Promise<AuditRecordRow[]> => {
    await c.flushAudit();
    return db().selectFrom('audit_records').selectAll().orderBy('seq').execute();
  };
  const state = (): Promise<AuditStateRow> => db().selectFrom('audit_state').selectAll().executeTakeFirstOrThrow();
  const calls = async (n: number) => {
    for (let i = 0; i < n; i++) await c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    await c.flushAudit();
  };

  /** The trail as it is now; `restore` puts it back exactly. */
  let saved: { rows: AuditRecordRow[]; state: AuditStateRow };
  const snapshot = async () => {
    saved = { rows: await records(), state: await state() };
  };
  const restore = async () => {
    await db().deleteFrom('audit_records').execute();
    for (const row of saved.rows) await db().insertInto('audit_records').values(row).execute();
    await db().updateTable('audit_state').set(saved.state).where('id', '=', 1).execute();
    assert.equal((await verify()).code, 0, 'restored');
  };

  /** What someone without the key can do: every hash recomputed as plain SHA-256, linked, and the head moved to match. */
  const rewritePlain = async (rows: AuditRecordRow[]): Promise<string> => {
    let prev = saved.state.anchor_hash ?? GENESIS_HASH;
    for (const row of rows) {
      const { hash: _old, ...rest } = row;
      const hash = recordHash({ ...rest, prev_hash: prev });
      await db().updateTable('audit_records').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
      prev = hash;
    }
    await db().updateTable('audit_state').set({ head_hash: prev }).where('id', '=', 1).execute();
    return prev;
  };

  before(async () => {
    c = await startCognate();
    await calls(8);
    await snapshot();
  });
  after(() => c.stop());

  it('a normal chain verifies, every record keyed; its hashes are not the plain SHA-256', async () => {
    const out = await verify();
    assert.equal(out.code, 0, out.out);
    assert.match(out.out, /^Audit chain intact: \d+ records \(1\.\.\d+\), head \S+; every record keyed \(HMAC-SHA256\)/);
    for (const row of saved.rows) {
      const { hash, ...rest } = row;
      assert.notEqual(hash, recordHash(rest), `record ${row.seq} carries a MAC`);
    }
  });

  it('catches an edited record', async () => {
    const target = saved.rows[3]!;
    await db().updateTable('audit_records').set({ operation: 'DeleteUserPool' }).where('seq', '=', target.seq).execute();
    const out = await verify();
    assert.equal(out.code, 1);
    assert.match(out.out, new RegExp(`record ${target.seq}: record ${target.seq} does not match its hash \\(edited or moved\\)`));
    await restore();
  });

  it('catches a chain truncated at the end with the head moved to the new last record', async () => {
    const kept = saved.rows.slice(0, -2);
    const last = kept[kept.length - 1]!;
    await db().deleteFrom('audit_records').where('seq', '>', last.seq).execute();
    await db().updateTable('audit_state').set({ head_seq: last.seq, head_hash: last.hash }).where('id', '=', 1).execute();
    const out = await verify();
    assert.equal(out.code, 1);
    assert.match(out.out, /the chain state \(head, pruning anchor or keyed boundary\) does not match its MAC/);
    await restore();
  });

  it('catches a chain rewritten with recomputed plain hashes, whatever the chain state then claims', async () => {
    await rewritePlain(saved.rows);
    let out = await verify();
    assert.equal(out.code, 1);
    for (const row of saved.rows) assert.match(out.out, new RegExp(`record ${row.seq}: record ${row.seq} does not match its hash`));
    assert.match(out.out, /does not match its MAC/);

    // …and with the keyed boundary moved past the head, as if the whole chain predated the upgrade.
    const head = await state();
    await db()
      .updateTable('audit_state')
      .set({ keyed_from_seq: head.head_seq + 1 })
      .where('id', '=', 1)
      .execute();
    out = await verify();
    assert.equal(out.code, 1);
    assert.match(out.out, /does not match its MAC \(audit_state edited\)/);
    await db().updateTable('audit_state').set({ state_mac: null }).where('id', '=', 1).execute();
    out = await verify();
    assert.equal(out.code, 1);
    assert.match(out.out, /the chain state carries no MAC \(audit_state edited\)/);
    await restore();
  });

  it('an upgraded chain: records written before keep plain hashes and verify; the records after are keyed', async () => {
    // The state migration 023 leaves, and the MAC the upgrading process then puts on it.
    const head = await rewritePlain(saved.rows);
    const boundary = saved.state.head_seq + 1;
    await db().updateTable('audit_state').set({ keyed_from_seq: boundary, state_mac: null }).where('id', '=', 1).execute();
    await new AuditStore(db(), c.deps.master).sealUpgrade();
    let out = await verify();
    assert.equal(out.code, 0, out.out);
    assert.match(out.out, new RegExp(`head ${head}; no keyed record yet`));

    await calls(3);
    out = await verify();
    assert.equal(out.code, 0, out.out);
    assert.match(out.out, new RegExp(`keyed \\(HMAC-SHA256\\) from record ${boundary}, plain SHA-256 before`));
    const after = (await records()).filter((r) => r.seq >= boundary);
    assert.equal(after.length, 3);
    for (const row of after) {
      const { hash, ...rest } = row;
      assert.notEqual(hash, recordHash(rest), `record ${row.seq} carries a MAC`);
    }

    // An edit before the boundary is still caught by the plain hash…
    const old = saved.rows[2]!;
    await db().updateTable('audit_records').set({ outcome: 'failure' }).where('seq', '=', old.seq).execute();
    out = await verify();
    assert.equal(out.code, 1);
    assert.match(out.out, new RegExp(`record ${old.seq}: record ${old.seq} does not match its hash`));
    // …and the keyed records rewritten plain again are caught too.
    await db().updateTable('audit_records').set({ outcome: old.outcome }).where('seq', '=', old.seq).execute();
    await rewritePlain(await records());
    out = await verify();
    assert.equal(out.code, 1);
    for (const row of after) assert.match(out.out, new RegExp(`record ${row.seq}: record ${row.seq} does not match its hash`));
  });
});
