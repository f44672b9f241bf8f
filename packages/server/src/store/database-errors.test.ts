import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { databaseFault } from './database-errors.ts';

describe('databaseFault', () => {
  it('names PostgreSQL shutdowns, connection exceptions, timeouts, a full disk and a standby as faults of the database', () => {
    const kind = (code: string) => databaseFault(Object.assign(new Error('x'), { code }))?.kind;
    assert.equal(kind('57P01'), 'unavailable');
    assert.equal(kind('08006'), 'unavailable');
    assert.equal(kind('ECONNREFUSED'), 'unavailable');
    assert.equal(kind('57014'), 'timeout');
    assert.equal(kind('25P03'), 'timeout');
    assert.equal(kind('53100'), 'full');
    assert.equal(kind('25006'), 'read-only');
  });

  it("names node-postgres's own connection and timeout errors, which carry no code", () => {
    assert.equal(databaseFault(new Error('Connection terminated unexpectedly'))?.kind, 'unavailable');
    assert.equal(databaseFault(new Error('timeout exceeded when trying to connect'))?.kind, 'timeout');
    assert.equal(databaseFault(new Error('Query read timeout'))?.kind, 'timeout');
  });

  it('names the SQLite result codes better-sqlite3 raises', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x)');
    db.pragma('query_only = ON');
    let err: unknown;
    try {
      db.exec('INSERT INTO t VALUES (1)');
    } catch (e) {
      err = e;
    }
    db.close();
    assert.equal(databaseFault(err)?.kind, 'read-only');
    const kind = (code: string) => databaseFault(Object.assign(new Error('x'), { code }))?.kind;
    assert.equal(kind('SQLITE_FULL'), 'full');
    assert.equal(kind('SQLITE_BUSY'), 'locked');
    assert.equal(kind('SQLITE_IOERR_WRITE'), 'io');
  });

  it('leaves everything else alone: constraint violations, bugs and non-errors keep their own handling', () => {
    assert.equal(databaseFault(Object.assign(new Error('x'), { code: '23505' })), null);
    assert.equal(databaseFault(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })), null);
    assert.equal(databaseFault(new TypeError('undefined is not a function')), null);
    assert.equal(databaseFault('Connection terminated'), null);
    assert.equal(databaseFault(null), null);
  });
});
