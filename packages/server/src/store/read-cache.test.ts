import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CacheScope, ReadCache } from './read-cache.ts';

describe('read cache', () => {
  it('serves a read again until its time is up, then reads anew', async () => {
    const cache = new ReadCache(40);
    let loads = 0;
    const load = async () => ({ n: ++loads });
    assert.deepEqual(await cache.get('k', load), { n: 1 });
    assert.deepEqual(await cache.get('k', load), { n: 1 });
    await sleep(60);
    assert.deepEqual(await cache.get('k', load), { n: 2 });
  });

  it('forgets everything on a write, and a read begun before the write does not put its older answer back', async () => {
    const cache = new ReadCache(10_000);
    let release!: () => void;
    const slow = cache.get('k', async () => {
      await new Promise<void>((r) => (release = r));
      return 'old';
    });
    cache.clear(); // a write lands while that read is in flight
    release();
    assert.equal(await slow, 'old'); // its caller gets what it read...
    assert.equal(await cache.get('k', async () => 'new'), 'new'); // ...but the cache does not keep it
  });

  it('keeps only rows found: a lookup of something absent asks the database every time', async () => {
    const cache = new ReadCache(10_000);
    let loads = 0;
    const absent = async () => {
      loads++;
      return null;
    };
    assert.equal(await cache.get('signing-key:made-up', absent), null);
    assert.equal(await cache.get('signing-key:made-up', absent), null);
    assert.equal(loads, 2);
  });

  it('hands out frozen values, so no caller can change another caller’s copy', async () => {
    const cache = new ReadCache(10_000);
    const pool = await cache.get('pool', async () => ({ settings: { Policies: { MinimumLength: 8 } }, tags: ['a'] }));
    assert.throws(() => {
      (pool.settings.Policies as { MinimumLength: number }).MinimumLength = 6;
    }, TypeError);
    assert.throws(() => pool.tags.push('b'), TypeError);
  });

  it('inside a transaction reads the database every time; a write there empties the cache before, after, and again after commit', async () => {
    const cache = new ReadCache(10_000);
    await cache.get('k', async () => 'cached');
    const tx = new CacheScope(cache, true);
    assert.equal(await tx.read('k', async () => 'fresh'), 'fresh');
    const outside = new CacheScope(cache, false);
    await tx.writing(async () => {
      // A read during the write caches the old row...
      assert.equal(await outside.read('k', async () => 'old'), 'old');
    });
    // ...which the end of the write forgets; but another connection, reading
    // before the commit, still sees and caches the row as it was...
    assert.equal(await outside.read('k', async () => 'before commit'), 'before commit');
    tx.committed();
    // ...and the commit empties the cache again.
    assert.equal(await new CacheScope(cache, false).read('k', async () => 'committed'), 'committed');
  });
});
