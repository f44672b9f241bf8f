import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CognitoError } from '../errors/cognito-error.ts';
import { parseUserFilter, SEARCHABLE } from './list-users-filter.ts';

const parseError = (filter: string) => () => {
  try {
    parseUserFilter(filter);
  } catch (err) {
    assert.ok(err instanceof CognitoError);
    assert.equal(err.code, 'InvalidParameterException');
    throw err;
  }
};

describe('parseUserFilter', () => {
  it('treats an absent, empty or blank filter as "everyone"', () => {
    assert.equal(parseUserFilter(undefined), null);
    assert.equal(parseUserFilter(''), null);
    assert.equal(parseUserFilter('   '), null);
  });

  it('parses an exact match with spaces around the operator', () => {
    assert.deepEqual(parseUserFilter('family_name = "Reddy"'), { attribute: 'family_name', prefix: false, value: 'Reddy' });
  });

  it('parses a prefix match (^=)', () => {
    assert.deepEqual(parseUserFilter('given_name ^= "Jon"'), { attribute: 'given_name', prefix: true, value: 'Jon' });
  });

  it('accepts the filter without spaces and with surrounding blanks', () => {
    assert.deepEqual(parseUserFilter('email="a@example.com"'), { attribute: 'email', prefix: false, value: 'a@example.com' });
    assert.deepEqual(parseUserFilter('  email^="a"  '), { attribute: 'email', prefix: true, value: 'a' });
    assert.deepEqual(parseUserFilter('email   =\t"a"'), { attribute: 'email', prefix: false, value: 'a' });
  });

  it('unescapes backslash-escaped quotes and backslashes in the value', () => {
    assert.deepEqual(parseUserFilter('name = "Carol \\"CJ\\" Smith"'), { attribute: 'name', prefix: false, value: 'Carol "CJ" Smith' });
    assert.deepEqual(parseUserFilter('name = "back\\\\slash"'), { attribute: 'name', prefix: false, value: 'back\\slash' });
  });

  it('keeps spaces, = and ^= inside the quoted value', () => {
    assert.deepEqual(parseUserFilter('name ^= "a = b ^= c "'), { attribute: 'name', prefix: true, value: 'a = b ^= c ' });
  });

  it('accepts an empty quoted value', () => {
    assert.deepEqual(parseUserFilter('email ^= ""'), { attribute: 'email', prefix: true, value: '' });
  });

  it('accepts every searchable attribute, including cognito:user_status', () => {
    for (const attribute of SEARCHABLE) assert.equal(parseUserFilter(`${attribute} = "x"`)?.attribute, attribute);
  });

  for (const bad of [
    'email',
    'email =',
    'email = alice',
    "email = 'alice'",
    'email = "alice',
    'email = alice"',
    'email == "a"',
    'email != "a"',
    'email ~= "a"',
    'email ^ = "a"',
    '= "a"',
    'email = "a" and name = "b"',
    'email = "a" name = "b"',
    'email = "a"b"',
    'email = "trailing backslash\\"',
    '"email" = "a"',
  ]) {
    it(`rejects ${JSON.stringify(bad)} with "Error while parsing filter."`, () => {
      assert.throws(parseError(bad), { name: 'InvalidParameterException', message: 'Error while parsing filter.' });
    });
  }

  it('rejects attributes that are not searchable, custom ones included', () => {
    for (const attr of ['custom:team', 'nickname', 'email_verified', 'Email', 'locale']) {
      assert.throws(parseError(`${attr} = "x"`), { name: 'InvalidParameterException', message: `Invalid search attribute: ${attr}` });
    }
  });
});
