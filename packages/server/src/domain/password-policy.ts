import { Errors } from '../errors/cognito-error.ts';
import type { PasswordPolicy } from './pool-settings.ts';

// Cognito's symbol set, plus the space.
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- '.split(''));

/** Cognito's ceiling, whatever the policy says (Java string length: UTF-16 units, as `.length`). */
const MAX_LENGTH = 256;

/**
 * The first of Cognito's own rules a password breaks, in Cognito's words, or
 * null. Public operations say "did not conform with policy", admin ones "with
 * password policy" (see `assertPasswordConforms`).
 */
export function passwordProblem(policy: PasswordPolicy, password: string): string | null {
  if (password.length < (policy.MinimumLength ?? 8)) return 'Password not long enough';
  if (password.length > MAX_LENGTH) return 'Password must have length less than or equal to 256';
  if (policy.RequireLowercase && !/\p{Ll}/u.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !/\p{Lu}/u.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.has(c))) return 'Password must have symbol characters';
  return null;
}

/**
 * Cognate's rules beyond Cognito's, each opt-in per pool
 * (CognateService.SetPasswordChecks; --password-extra-checks gives new pools
 * both). Off, a pool accepts exactly the passwords Cognito would: an app that
 * works against Cognito must not meet a refusal Cognito never gives.
 */
export interface PasswordChecks {
  /** Refuse the username, email address (or its local part) and pool name inside the password. */
  rejectContextWords: boolean;
  /** Refuse the passwords of the common list. */
  rejectCommonPasswords: boolean;
}

/** Cognito's rules only: the default of a pool. */
export const COGNITO_RULES_ONLY: PasswordChecks = Object.freeze({ rejectContextWords: false, rejectCommonPasswords: false });

/** Who the password is for: the words it must not contain (Cognate's rule, beyond Cognito's). */
export interface PasswordOwner {
  /** Names the user signs in with: the username, and the one they typed if the pool generated another. */
  usernames: readonly string[];
  email?: string | undefined;
  poolName: string;
}

/**
 * Shortest name that a password may not contain. Shorter names ("ab", "bob")
 * occur inside too many unrelated words to refuse every password that holds
 * them; a password equal to one is already refused by the minimum length (6).
 */
export const MIN_CONTAINED_LENGTH = 4;

/**
 * The owner of a password: `usernames` are the stored username and, where
 * they differ, the name the caller typed (a pool with email as the username
 * stores a generated UUID); preferred_username counts as a username too.
 */
export function passwordOwner(pool: { name: string }, usernames: readonly string[], attributes: Record<string, string>): PasswordOwner {
  const preferred = attributes['preferred_username'];
  return { usernames: preferred ? [...usernames, preferred] : usernames, email: attributes['email'], poolName: pool.name };
}

const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

/**
 * Cognate's rule beyond Cognito (NIST SP 800-63B "context-specific words"):
 * no password equal to or containing, case-insensitively, the username, the
 * email address or its local part, or the user pool's name. Names shorter
 * than MIN_CONTAINED_LENGTH are not checked.
 */
export function personalProblem(owner: PasswordOwner, password: string): string | null {
  const folded = fold(password);
  const contains = (word: string | undefined): boolean => {
    const w = fold(word ?? '');
    return w.length >= MIN_CONTAINED_LENGTH && folded.includes(w);
  };
  if (owner.usernames.some(contains)) return 'Password must not contain the username';
  const email = owner.email ?? '';
  const at = email.lastIndexOf('@');
  if (contains(email) || (at > 0 && contains(email.slice(0, at)))) return 'Password must not contain the email address';
  if (contains(owner.poolName)) return 'Password must not contain the user pool name';
  return null;
}

// The 49,000-odd most common passwords (lower case, most frequent first) of
// zxcvbn-ts' common dictionary (MIT; drawn from leaked-password corpora),
// shipped in the npm package: never fetched at run time. Loaded on first use
// (about 30 ms, a few MB), once.
let common: Promise<ReadonlySet<string>> | undefined;
export function commonPasswords(): Promise<ReadonlySet<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return common;
}

export async function commonProblem(password: string): Promise<string | null> {
  return (await commonPasswords()).has(fold(password)) ? 'Password is too common' : null;
}

/**
 * Every rule a new password must meet: Cognito's first (so a password Cognito
 * would refuse gets Cognito's message), then those of Cognate's own that the
 * pool opted into (`checks`). Throws InvalidPasswordException with the first
 * broken rule; public operations say "did not conform with policy", admin
 * ones "with password policy". Password history is checked separately
 * (services/password-history.ts): it needs the store and argon2, and must
 * come after the caller has proven who they are.
 */
export async function assertPasswordConforms(
  policy: PasswordPolicy,
  password: string,
  owner: PasswordOwner,
  via: 'public' | 'admin',
  checks: PasswordChecks,
): Promise<void> {
  const problem =
    passwordProblem(policy, password) ??
    (checks.rejectContextWords ? personalProblem(owner, password) : null) ??
    (checks.rejectCommonPasswords ? await commonProblem(password) : null);
  if (problem) throw Errors.InvalidPassword(`Password did not conform with ${via === 'admin' ? 'password ' : ''}policy: ${problem}`);
}

// Generated passwords travel in invitation mail and SMS: symbols that are
// harmless there (no '=', which quoted-printable rewrites, nor '.', quotes or space).
const GENERATED_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+-?@^_~';

/**
 * A temporary password that meets `policy`, at least 12 characters. Every
 * character is drawn uniformly by `chars` (the CSPRNG in production) and the
 * whole password is redrawn until it conforms, which takes a few draws at most
 * and keeps the result uniform over all conforming passwords.
 */
export function generatePassword(policy: PasswordPolicy, chars: (alphabet: string, count: number) => string): string {
  const length = Math.max(policy.MinimumLength ?? 8, 12);
  for (let i = 0; i < 1000; i++) {
    const candidate = chars(GENERATED_ALPHABET, length);
    if (passwordProblem(policy, candidate) === null) return candidate;
  }
  throw new Error('could not draw a password that meets the policy');
}
