import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store/store.ts';
import type { AuditEntry } from '../store/audit.ts';
import { AuditQueue } from './queue.ts';

/** A store whose audit appends fail while `down` is set, and record what they wrote otherwise. */
function flakyStore() {
  const written: string[] = [];
  const state = { down: true, attempts: 0 };
  const store = {
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      state.attempts++;
      if (state.down) throw Object.assign(new Error('Connection terminated unexpectedly'), {});
      return fn({ audit: { appendMany: async (batch: AuditEntry[]) => void written.push(...batch.map((e) => e.operation)) } } as unknown as Store);
    },
  } as unknown as Store;
  return { store, written, state };
}

const entry = (operation: string): AuditEntry => ({ operation }) as unknown as AuditEntry;

describe('AuditQueue across a database outage', () => {
  it('gives up a batch the database refuses for its content (not an outage) instead of retrying it ahead of every later record', async () => {
    const lost: number[] = [];
    let attempts = 0;
    const written: string[] = [];
    const store = {
      async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
        attempts++;
        if (attempts === 1) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
        return fn({ audit: { appendMany: async (batch: AuditEntry[]) => void written.push(...batch.map((e) => e.operation)) } } as unknown as Store);
      },
    } as unknown as Store;
    const queue = new AuditQueue(store, { intervalMs: 1, maxBatch: 1, maxQueued: 100, retryMs: 60_000, onFailure: (_e, n) => lost.push(n) });
    for (const op of ['bad', 'next']) queue.add(entry(op));
    await queue.flush();
    assert.deepEqual(lost, [1]);
    assert.deepEqual(written, ['next']);
  });

  it('keeps a batch that failed, in order, and writes it once the database is back; reports the outage once', async () => {
    const { store, written, state } = flakyStore();
    const failures: number[] = [];
    const queue = new AuditQueue(store, { intervalMs: 1, maxBatch: 2, maxQueued: 100, retryMs: 5, onFailure: (_e, lost) => failures.push(lost) });
    for (const op of ['a', 'b', 'c']) queue.add(entry(op));
    await queue.flush();
    await queue.flush(true);
    assert.deepEqual(written, []);
    assert.equal(queue.pending, 3);
    assert.deepEqual(failures, [0], 'one report per outage, nothing lost');
    state.down = false;
    queue.add(entry('d'));
    // Inside the pause after a failure nothing is tried unless forced.
    await queue.flush();
    assert.deepEqual(written, []);
    await queue.flush(true);
    assert.deepEqual(written, ['a', 'b', 'c', 'd']);
    assert.equal(queue.pending, 0);
  });

  it('drops only the oldest records beyond maxQueued while the database stays away, and counts them', async () => {
    const { store, state } = flakyStore();
    const lost: number[] = [];
    const queue = new AuditQueue(store, { intervalMs: 1, maxBatch: 10, maxQueued: 4, retryMs: 60_000, onFailure: (_e, n) => lost.push(n) });
    for (const op of ['a', 'b', 'c']) queue.add(entry(op));
    await queue.flush();
    // In the retry pause a full queue holds no request: add() returns nothing to wait for.
    for (const op of ['d', 'e', 'f']) assert.equal(queue.add(entry(op)), undefined);
    assert.equal(queue.pending, 4);
    // Counted, and reported at the next attempt (or at shutdown) rather than once per request.
    assert.equal(
      lost.reduce((a, b) => a + b, 0),
      0,
    );
    const attemptsBefore = state.attempts;
    queue.abandon(new Error('stopping'));
    assert.equal(queue.pending, 0);
    assert.equal(
      lost.reduce((a, b) => a + b, 0),
      6,
    );
    assert.equal(state.attempts, attemptsBefore);
  });
});

describe('AuditQueue commit durability', () => {
  it('waits for the disk on the first batch and then at most once a second; the batches between commit relaxed', async () => {
    const modes: string[] = [];
    const store = {
      async transaction<T>(fn: (tx: Store) => Promise<T>, _lock: string, commit: string): Promise<T> {
        modes.push(commit);
        return fn({ audit: { appendMany: async () => undefined } } as unknown as Store);
      },
    } as unknown as Store;
    const queue = new AuditQueue(store, { intervalMs: 1, maxBatch: 1, maxQueued: 100, retryMs: 5, onFailure: () => undefined });
    for (const op of ['a', 'b', 'c']) {
      queue.add(entry(op));
      await queue.flush();
    }
    assert.deepEqual(modes, ['durable', 'relaxed', 'relaxed']);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    queue.add(entry('d'));
    await queue.flush();
    assert.equal(modes.at(-1), 'durable', 'a second later, the next batch waits for the disk again');
  });
});
