import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoIds } from '../services/ids.ts';
import { assertPasswordConforms, generatePassword, passwordProblem } from './password-policy.ts';
import type { PasswordPolicy } from './pool-settings.ts';

const strict: PasswordPolicy = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true };
const lax: PasswordPolicy = { MinimumLength: 6, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false };

describe('password policy', () => {
  it('passwordProblem › accepts a password that meets every rule', () => {
    assert.equal(passwordProblem(strict, 'Passw0rd!'), null);
  });

  it('passwordProblem › names each broken rule in Cognito words', () => {
    assert.equal(passwordProblem(strict, 'Pa0!'), 'Password not long enough');
    assert.equal(passwordProblem(strict, 'PASSW0RD!'), 'Password must have lowercase characters');
    assert.equal(passwordProblem(strict, 'passw0rd!'), 'Password must have uppercase characters');
    assert.equal(passwordProblem(strict, 'Password!'), 'Password must have numeric characters');
    assert.equal(passwordProblem(strict, 'Passw0rdX'), 'Password must have symbol characters');
  });

  it('passwordProblem › counts the space as a symbol', () => {
    assert.equal(passwordProblem(strict, 'Passw0rd x'), null);
  });

  it('passwordProblem › checks only the rules the policy turns on', () => {
    assert.equal(passwordProblem(lax, 'abcdef'), null);
    assert.equal(passwordProblem(lax, 'abcde'), 'Password not long enough');
  });

  it('assertPasswordConforms › uses "with policy" for public operations and "with password policy" for admin ones', () => {
    assert.throws(() => assertPasswordConforms(strict, 'password'), { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have uppercase characters' });
    assert.throws(() => assertPasswordConforms(strict, 'password', 'admin'), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with password policy: Password must have uppercase characters',
    });
  });

  it('generatePassword › always meets a strict policy, and its minimum length', () => {
    const long: PasswordPolicy = { ...strict, MinimumLength: 40 };
    for (let i = 0; i < 200; i++) {
      assert.equal(passwordProblem(strict, generatePassword(strict, cryptoIds.chars)), null);
      const p = generatePassword(long, cryptoIds.chars);
      assert.equal(p.length, 40);
      assert.equal(passwordProblem(long, p), null);
    }
  });

  it('generatePassword › is at least 12 characters even where the policy allows fewer', () => {
    assert.ok(generatePassword(lax, cryptoIds.chars).length >= 12);
  });

  it('generatePassword › draws every character from the random source and never a mail-unsafe one', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const ch of generatePassword(strict, cryptoIds.chars)) seen.add(ch);
    for (const unsafe of ['=', '.', ' ', '"', "'", '<', '>']) assert.ok(!seen.has(unsafe), `generated ${unsafe}`);
    assert.ok(seen.size > 50, 'uses a wide alphabet');
  });

  it('generatePassword › redraws until the password conforms', () => {
    const draws = ['aaaaaaaaaaaa', 'AAAAAAAAAAAA', 'Aa1!Aa1!Aa1!'];
    let calls = 0;
    const p = generatePassword(strict, () => draws[calls++]!);
    assert.equal(p, 'Aa1!Aa1!Aa1!');
    assert.equal(calls, 3);
  });
});
