import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VerifiedTokens } from './verified-tokens.ts';

describe('VerifiedTokens', () => {
  it('answers only for the exact string, with the kid and payload it was given', () => {
    const cache = new VerifiedTokens(4);
    cache.set('a.b.c', 'kid1', { sub: 's', exp: 100 }, 100);
    assert.deepEqual(cache.get('a.b.c', 50), { kid: 'kid1', payload: { sub: 's', exp: 100 }, exp: 100 });
    assert.equal(cache.get('a.b.c ', 50), undefined);
    assert.equal(cache.get('a.b.C', 50), undefined);
  });

  it('forgets an entry at its exp', () => {
    const cache = new VerifiedTokens(4);
    cache.set('t', 'k', { exp: 100 }, 100);
    assert.ok(cache.get('t', 99));
    assert.equal(cache.get('t', 100), undefined);
    assert.equal(cache.size, 0, 'dropped, not kept');
    assert.equal(cache.get('t', 50), undefined, 'not back for an earlier clock either');
  });

  it('keeps at most its bound, the least recently used going first', () => {
    const cache = new VerifiedTokens(3);
    for (const t of ['t1', 't2', 't3']) cache.set(t, 'k', { exp: 100 }, 100);
    assert.ok(cache.get('t1', 0)); // t1 now the most recently used
    cache.set('t4', 'k', { exp: 100 }, 100);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('t2', 0), undefined, 't2 was the least recently used');
    for (const t of ['t1', 't3', 't4']) assert.ok(cache.get(t, 0), t);
  });

  it('freezes the payload it shares between callers', () => {
    const cache = new VerifiedTokens(2);
    cache.set('t', 'k', { exp: 100, nested: { a: 1 } }, 100);
    const { payload } = cache.get('t', 0)!;
    assert.ok(Object.isFrozen(payload) && Object.isFrozen(payload['nested']));
  });

  it('keeps nothing when its bound is 0', () => {
    const cache = new VerifiedTokens(0);
    cache.set('t', 'k', { exp: 100 }, 100);
    assert.equal(cache.get('t', 0), undefined);
  });
});
