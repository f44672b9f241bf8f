import type { Context } from '../cognito-api/operation.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import type { AuthStep } from './sign-in.ts';

/**
 * PLACEHOLDER (helper "mfa"): the second-factor step of a sign-in, after the
 * first factor succeeded and no remembered device skipped it: an MFA
 * challenge (SOFTWARE_TOKEN_MFA, EMAIL_OTP, SMS_MFA, SELECT_MFA_TYPE,
 * MFA_SETUP), or null when the user signs in without one.
 */
export async function mfaStep(_ctx: Context, _pool: Pool, _client: AppClient, _user: User): Promise<AuthStep | null> {
  return null;
}
