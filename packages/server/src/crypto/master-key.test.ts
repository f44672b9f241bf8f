import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors/config-error.ts';
import { MasterKey } from './master-key.ts';

describe('<data-dir>/master.key', () => {
  it('is made 0600 at first start, reopened as the same key, and refused once others can read it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-master-key-'));
    try {
      const first = MasterKey.loadOrCreate(dir, undefined);
      assert.equal(first.created, true);
      const again = MasterKey.loadOrCreate(dir, undefined);
      assert.equal(again.created, false);
      assert.equal(again.key.id, first.key.id);
      chmodSync(join(dir, 'master.key'), 0o644);
      assert.throws(
        () => MasterKey.loadOrCreate(dir, undefined),
        (err: unknown) => err instanceof ConfigError && /master\.key is readable or writable by others; make it 0600/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
