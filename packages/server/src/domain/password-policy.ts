import { Errors } from '../errors/cognito-error.ts';
import type { PasswordPolicy } from './pool-settings.ts';

// Cognito's symbol set, plus the space.
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- '.split(''));

/**
 * The first rule a password breaks, in Cognito's words, or null. Public
 * operations say "did not conform with policy", admin ones "with password policy".
 */
export function passwordProblem(policy: PasswordPolicy, password: string): string | null {
  if (password.length < (policy.MinimumLength ?? 8)) return 'Password not long enough';
  if (password.length > 256) return 'Password must have length less than or equal to 256';
  if (policy.RequireLowercase && !/\p{Ll}/u.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !/\p{Lu}/u.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.has(c))) return 'Password must have symbol characters';
  return null;
}

export function assertPasswordConforms(policy: PasswordPolicy, password: string, via: 'public' | 'admin' = 'public'): void {
  const problem = passwordProblem(policy, password);
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
