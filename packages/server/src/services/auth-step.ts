import type { User } from '../domain/user.ts';
import type { AuthenticationResult } from './tokens.ts';

// What a sign-in step answers and what it is told, shared by the sign-in
// sequence (sign-in.ts) and the steps it calls (devices.ts, mfa.ts), which
// therefore need not import the sequence back.

export type AuthStep =
  // AvailableChallenges: the USER_AUTH flow's SELECT_CHALLENGE lists the user's first factors there.
  | { ChallengeName: string; Session: string; ChallengeParameters: Record<string, string>; AvailableChallenges?: string[] }
  // PASSWORD_VERIFIER comes without a Session, as from Cognito: its SECRET_BLOCK is the handle.
  | { ChallengeName: string; ChallengeParameters: Record<string, string> }
  | { ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult }
  // The managed-login pages' sign-in (Context.hostedSignIn) ends here: the user passed every step; the authorization code brings the tokens.
  | { ChallengeParameters: Record<string, string>; Authenticated: User };

export interface SignInSignals {
  /** DEVICE_KEY: a device the user may have remembered. */
  deviceKey?: string | undefined;
  /** How the sign-in reached its tokens when not by a plain first factor (the pre token generation trigger's triggerSource). */
  tokenSource?: 'NewPasswordChallenge' | 'AuthenticateDevice';
}
