import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { comparePrecedence, groupClaims, type Group } from './group.ts';

const g = (name: string, precedence: number | null, roleArn: string | null = null): Group => ({
  poolId: 'us-east-1_Pool00001',
  name,
  description: null,
  roleArn,
  precedence,
  createdAt: 0,
  updatedAt: 0,
});
const ROLE_A = 'arn:aws:iam::123456789012:role/a';
const ROLE_B = 'arn:aws:iam::123456789012:role/b';

describe('groupClaims', () => {
  it('no groups: no group claims at all', () => {
    assert.deepEqual(groupClaims([]), { access: {}, id: {} });
  });

  it('lists groups by precedence (null last, then name) in both tokens; roles only in the ID token', () => {
    const claims = groupClaims([g('zeta', null), g('beta', 5, ROLE_B), g('alpha', null), g('gamma', 1, ROLE_A)]);
    assert.deepEqual(claims.access, { 'cognito:groups': ['gamma', 'beta', 'alpha', 'zeta'] });
    assert.deepEqual(claims.id, { 'cognito:groups': ['gamma', 'beta', 'alpha', 'zeta'], 'cognito:roles': [ROLE_A, ROLE_B], 'cognito:preferred_role': ROLE_A });
  });

  it('groups without a role: no cognito:roles and no cognito:preferred_role', () => {
    assert.deepEqual(groupClaims([g('a', 0), g('b', 1)]).id, { 'cognito:groups': ['a', 'b'] });
  });

  it('the preferred role comes from the best-ranked group that has a role, even behind a role-less group', () => {
    assert.equal(groupClaims([g('top', 0), g('next', 3, ROLE_B), g('last', 9, ROLE_A)]).id['cognito:preferred_role'], ROLE_B);
  });

  it('equal precedence with different roles: no preferred role, both roles listed', () => {
    const id = groupClaims([g('a', 2, ROLE_A), g('b', 2, ROLE_B), g('c', 7, ROLE_A)]).id;
    assert.equal(id['cognito:preferred_role'], undefined);
    assert.deepEqual(id['cognito:roles'], [ROLE_A, ROLE_B]);
  });

  it('equal precedence with the same role: that role is preferred; roles are listed once', () => {
    const id = groupClaims([g('a', 2, ROLE_A), g('b', 2, ROLE_A)]).id;
    assert.equal(id['cognito:preferred_role'], ROLE_A);
    assert.deepEqual(id['cognito:roles'], [ROLE_A]);
  });

  it('a numbered precedence outranks a null one; two null-precedence groups with different roles tie', () => {
    assert.equal(groupClaims([g('none', null, ROLE_A), g('ten', 10, ROLE_B)]).id['cognito:preferred_role'], ROLE_B);
    assert.equal(groupClaims([g('x', null, ROLE_A), g('y', null, ROLE_B)]).id['cognito:preferred_role'], undefined);
    assert.equal(groupClaims([g('only', null, ROLE_A)]).id['cognito:preferred_role'], ROLE_A);
  });

  it('comparePrecedence: 0 first, null last, names break ties', () => {
    const sorted = [g('b', null), g('a', null), g('c', 0), g('d', 2147483647)].sort(comparePrecedence).map((x) => x.name);
    assert.deepEqual(sorted, ['c', 'd', 'a', 'b']);
  });
});
