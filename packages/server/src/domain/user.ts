// A user as the rules see it: the row plus its attributes by name.
export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED' | 'EXTERNAL_PROVIDER' | 'ARCHIVED' | 'COMPROMISED';

export interface User {
  sub: string;
  poolId: string;
  username: string;
  status: UserStatus;
  enabled: boolean;
  passwordHash: string | null;
  /** SRP salt (hex) and verifier sealed with the master key; null until a password is set (or, for users from before SRP, signed in with). */
  srpSalt?: string | null;
  srpVerifierSealed?: string | null;
  passwordChangedAt: number | null;
  tempPasswordExpiresAt: number | null;
  failedAttempts: number;
  lastFailedAt: number | null;
  lockedUntil: number | null;
  attributes: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export type UserPatch = Partial<
  Pick<
    User,
    | 'status'
    | 'enabled'
    | 'passwordHash'
    | 'srpSalt'
    | 'srpVerifierSealed'
    | 'passwordChangedAt'
    | 'tempPasswordExpiresAt'
    | 'failedAttempts'
    | 'lastFailedAt'
    | 'lockedUntil'
  >
>;

/** Attributes are stored and listed as Cognito lists them: sub first, then by name. */
export function attributeList(user: User, allowed?: (name: string) => boolean): { Name: string; Value: string }[] {
  return Object.entries(user.attributes)
    .filter(([name]) => !allowed || allowed(name))
    .sort(([a], [b]) => (a === 'sub' ? -1 : b === 'sub' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([Name, Value]) => ({ Name, Value }));
}
