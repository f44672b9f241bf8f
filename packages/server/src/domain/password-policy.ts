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
