import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolCommand, ListUserPoolsCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { prefixSuccessor } from '../src/store/users.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Throughput work (issue 7): prefix filters as index ranges, read-only calls
// without a store transaction, audit records group-committed in batches.
describe('prefix ranges', () => {
  it('raises the last code point, skipping surrogates and dropping trailing U+10FFFF', () => {
    assert.equal(prefixSuccessor('abc'), 'abd');
    assert.equal(prefixSuccessor('a\u{D7FF}'), 'a\u{E000}');
    assert.equal(prefixSuccessor('ab\u{10FFFF}'), 'ac');
    assert.equal(prefixSuccessor('\u{10FFFF}\u{10FFFF}'), null);
    assert.equal(prefixSuccessor('zoë'), 'zoì');
  });
});

describe('read paths and the audit queue', () => {
  let c: Running;
  let poolId = '';
  before(async () => {
    c = await startCognate();
    poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'perf' }))).UserPool!.Id!;
  });
  after(() => c.stop());

  it('answers ListUsers with a prefix filter and ListUserPools without opening a store transaction', async () => {
    const store = c.deps.store;
    const original = store.transaction.bind(store);
    let opened = 0;
    store.transaction = ((fn: Parameters<typeof original>[0], lock?: Parameters<typeof original>[1]) => {
      if (lock !== 'audit') opened++;
      return original(fn, lock);
    }) as typeof store.transaction;
    try {
      await c.admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ^= "a"' }));
      await c.admin.send(new ListUserPoolsCommand({ MaxResults: 5 }));
      assert.equal(opened, 0);
    } finally {
      store.transaction = original;
    }
  });

  it('writes a burst of concurrent calls in one chained batch, on flush', async () => {
    await c.flushAudit();
    const before = await c.deps.store.db.selectFrom('audit_records').select('seq').execute();
    await Promise.all(Array.from({ length: 12 }, () => c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }))));
    await c.flushAudit();
    const rows = await c.deps.store.db.selectFrom('audit_records').selectAll().orderBy('seq').execute();
    assert.equal(rows.length, before.length + 12);
    rows.forEach((r, i) => {
      assert.equal(r.seq, i + 1);
      if (i > 0) assert.equal(r.prev_hash, rows[i - 1]!.hash);
    });
  });
});
