import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoIds } from '../services/ids.ts';
import {
  assertPasswordConforms,
  COGNITO_RULES_ONLY,
  commonPasswords,
  commonProblem,
  generatePassword,
  MIN_CONTAINED_LENGTH,
  passwordOwner,
  passwordProblem,
  personalProblem,
  type PasswordOwner,
} from './password-policy.ts';
import type { PasswordPolicy } from './pool-settings.ts';

const strict: PasswordPolicy = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true };
const lax: PasswordPolicy = { MinimumLength: 6, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false };
const owner: PasswordOwner = { usernames: ['kestrel'], email: 'wren.fisher@example.com', poolName: 'Birdwatch' };
const nobody: PasswordOwner = { usernames: [], poolName: 'x' };
const allChecks = { rejectContextWords: true, rejectCommonPasswords: true };

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

  it('assertPasswordConforms › uses "with policy" for public operations and "with password policy" for admin ones', async () => {
    await assert.rejects(assertPasswordConforms(strict, 'password', nobody, 'public', COGNITO_RULES_ONLY), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await assert.rejects(assertPasswordConforms(strict, 'password', nobody, 'admin', COGNITO_RULES_ONLY), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with password policy: Password must have uppercase characters',
    });
  });

  it('passwordProblem › gives each Cognito message at its boundary (minimum length, 256, every symbol)', () => {
    assert.equal(passwordProblem({ ...strict, MinimumLength: 12 }, 'Aa1!Aa1!Aa1'), 'Password not long enough');
    assert.equal(passwordProblem({ ...strict, MinimumLength: 12 }, 'Aa1!Aa1!Aa1!'), null);
    assert.equal(passwordProblem(strict, `Aa1!${'x'.repeat(252)}`), null);
    assert.equal(passwordProblem(strict, `Aa1!${'x'.repeat(253)}`), 'Password must have length less than or equal to 256');
    for (const symbol of '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ') assert.equal(passwordProblem(strict, `Passw0rd${symbol}`), null, `symbol ${symbol}`);
    assert.equal(passwordProblem(strict, 'Passw0rd§'), 'Password must have symbol characters', "a symbol outside Cognito's list does not count");
  });

  it('personalProblem › refuses the username, case-insensitively, alone or inside', () => {
    assert.equal(personalProblem(owner, 'kestrel'), 'Password must not contain the username');
    assert.equal(personalProblem(owner, 'My-KESTREL-99'), 'Password must not contain the username');
    assert.equal(
      personalProblem({ ...owner, usernames: ['Ⓚestrel'] }, 'xKESTRELx'),
      'Password must not contain the username',
      'compatibility forms fold (NFKC)',
    );
    assert.equal(personalProblem(owner, 'Falcon-Dive-99'), null);
  });

  it('personalProblem › refuses the email address and its local part', () => {
    assert.equal(personalProblem(owner, 'xWren.Fisher@Example.COMx'), 'Password must not contain the email address');
    assert.equal(personalProblem(owner, 'wren.fisher!2024'), 'Password must not contain the email address');
    assert.equal(personalProblem(owner, 'fisher-wren-2024'), null, 'pieces of the local part are allowed');
  });

  it('personalProblem › refuses the user pool name', () => {
    assert.equal(personalProblem(owner, 'birdwatch-2024!'), 'Password must not contain the user pool name');
  });

  it(`personalProblem › ignores names shorter than ${MIN_CONTAINED_LENGTH} characters, so a short username does not refuse everything`, () => {
    assert.equal(MIN_CONTAINED_LENGTH, 4);
    const short: PasswordOwner = { usernames: ['ab', 'bob'], email: 'jo@example.com', poolName: 'app' };
    assert.equal(personalProblem(short, 'abbobjo-app-1'), null);
    assert.equal(personalProblem({ ...short, usernames: ['anna'] }, 'Hannah-anna-1'), 'Password must not contain the username');
    assert.equal(personalProblem({ usernames: [], email: 'not-an-email', poolName: 'x' }, 'xnot-an-emailx'), 'Password must not contain the email address');
  });

  it('passwordOwner › counts the typed name and preferred_username as usernames, and takes email and the pool name', () => {
    const o = passwordOwner({ name: 'Birdwatch' }, ['5e3c-uuid', 'wren@example.com'], { email: 'wren@example.com', preferred_username: 'wrenny' });
    assert.deepEqual(o, { usernames: ['5e3c-uuid', 'wren@example.com', 'wrenny'], email: 'wren@example.com', poolName: 'Birdwatch' });
    assert.equal(personalProblem(o, 'Wrenny-2024!'), 'Password must not contain the username');
  });

  it('commonPasswords › loads the shipped list once, lower case, well over the top 10,000', async () => {
    const first = await commonPasswords();
    assert.ok(first.size >= 10_000, `${first.size} passwords`);
    assert.equal(await commonPasswords(), first, 'the same Set on every call');
    for (const p of ['123456', 'password', 'qwerty', 'iloveyou', 'p@ssw0rd', 'trustno1']) assert.ok(first.has(p), p);
  });

  it('commonProblem › refuses a common password in any case, and lets an uncommon one through', async () => {
    assert.equal(await commonProblem('P@ssw0rd'), 'Password is too common');
    assert.equal(await commonProblem('QWERTY123'), 'Password is too common');
    assert.equal(await commonProblem('Umbra-Teal-Ferrule-7'), null);
  });

  it('assertPasswordConforms › with both extra checks on, checks Cognito rules first, then the owner, then the common list', async () => {
    const reject = (password: string, message: string) =>
      assert.rejects(assertPasswordConforms(strict, password, owner, 'public', allChecks), {
        name: 'InvalidPasswordException',
        message: `Password did not conform with policy: ${message}`,
      });
    await reject('kestrel-99!', 'Password must have uppercase characters');
    await reject('Kestrel-2024', 'Password must not contain the username');
    await reject('P@ssw0rd', 'Password is too common');
    await assertPasswordConforms(strict, 'Umbra-Teal-Ferrule-7', owner, 'public', allChecks);
  });

  it("assertPasswordConforms › with Cognito's rules only, accepts what Cognito accepts: context words and common passwords", async () => {
    await assertPasswordConforms(strict, 'Kestrel-2024', owner, 'public', COGNITO_RULES_ONLY);
    await assertPasswordConforms(strict, 'P@ssw0rd', owner, 'public', COGNITO_RULES_ONLY);
    await assertPasswordConforms(
      strict,
      'Seed-Verify-1!',
      { usernames: ['seed@example.com'], email: 'seed@example.com', poolName: 'p' },
      'public',
      COGNITO_RULES_ONLY,
    );
    await assert.rejects(assertPasswordConforms(strict, 'kestrel-99!', owner, 'public', COGNITO_RULES_ONLY), {
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
  });

  it('assertPasswordConforms › applies each extra check on its own', async () => {
    const contextOnly = { rejectContextWords: true, rejectCommonPasswords: false };
    const commonOnly = { rejectContextWords: false, rejectCommonPasswords: true };
    await assert.rejects(assertPasswordConforms(strict, 'Kestrel-2024', owner, 'public', contextOnly), {
      message: 'Password did not conform with policy: Password must not contain the username',
    });
    await assertPasswordConforms(strict, 'P@ssw0rd', owner, 'public', contextOnly);
    await assert.rejects(assertPasswordConforms(strict, 'P@ssw0rd', owner, 'public', commonOnly), {
      message: 'Password did not conform with policy: Password is too common',
    });
    await assertPasswordConforms(strict, 'Kestrel-2024', owner, 'public', commonOnly);
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
