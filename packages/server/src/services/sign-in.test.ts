import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { User } from '../domain/user.ts';
import { lockoutAfterFailure } from './sign-in.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function user(failedAttempts: number, lastFailedAt: number | null): User {
  return {
    sub: 's',
    poolId: 'p',
    username: 'u',
    status: 'CONFIRMED',
    enabled: true,
    passwordHash: null,
    passwordChangedAt: null,
    tempPasswordExpiresAt: null,
    failedAttempts,
    lastFailedAt,
    lockedUntil: null,
    attributes: {},
    createdAt: T0,
    updatedAt: T0,
  };
}

/** Applies `n` failures one second apart, starting from a clean user; returns the last outcome. */
function failures(n: number) {
  let u = user(0, null);
  let out: ReturnType<typeof lockoutAfterFailure> | undefined;
  for (let i = 1; i <= n; i++) {
    const now = T0 + i * 1000;
    out = lockoutAfterFailure(u, now);
    u = { ...u, failedAttempts: out.failedAttempts, lastFailedAt: now, lockedUntil: out.lockedUntil };
  }
  return { out: out!, at: T0 + n * 1000 };
}

describe('lockoutAfterFailure', () => {
  it('does not lock for the first four failures', () => {
    for (let n = 1; n <= 4; n++) {
      const { out } = failures(n);
      assert.equal(out.failedAttempts, n);
      assert.equal(out.lockedUntil, null);
    }
  });

  it('locks for one second at the fifth failure', () => {
    const { out, at } = failures(5);
    assert.equal(out.lockedUntil, at + 1000);
  });

  it('doubles the lock with each further failure: 2 s, 4 s, 8 s', () => {
    for (const [n, seconds] of [
      [6, 2],
      [7, 4],
      [8, 8],
    ] as const) {
      const { out, at } = failures(n);
      assert.equal(out.lockedUntil! - at, seconds * 1000, `failure ${n}`);
    }
  });

  it('caps the lock at 15 minutes', () => {
    const { out, at } = failures(30);
    assert.equal(out.lockedUntil! - at, 15 * MIN);
  });

  it('forgets earlier failures after 15 minutes without one', () => {
    const out = lockoutAfterFailure(user(7, T0), T0 + 15 * MIN + 1);
    assert.equal(out.failedAttempts, 1);
    assert.equal(out.lockedUntil, null);
  });

  it('keeps counting within 15 minutes of the last failure', () => {
    const out = lockoutAfterFailure(user(4, T0), T0 + 15 * MIN);
    assert.equal(out.failedAttempts, 5);
    assert.equal(out.lockedUntil, T0 + 15 * MIN + 1000);
  });

  it('requires a password reset at the hundredth consecutive failure, not before', () => {
    assert.equal(lockoutAfterFailure(user(98, T0), T0 + 1000).resetRequired, false);
    assert.equal(lockoutAfterFailure(user(99, T0), T0 + 1000).resetRequired, true);
  });
});
