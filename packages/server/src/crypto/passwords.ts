import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id parameters (m = 19 MiB, t = 2, p = 1). A stored hash with
// other parameters is re-hashed on the next successful sign-in.
const PARAMS = {
  algorithm: 2 /* Algorithm.Argon2id: a const enum, not importable under isolatedModules */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;
const CURRENT_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$';

export const MAX_PASSWORD_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new Error('password too long to hash');
  return hash(password, PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export const needsRehash = (stored: string): boolean => !stored.startsWith(CURRENT_PREFIX);

// A hash of a random password, computed once: verifying against it costs the
// same as a real check, so an unknown user and a wrong password take equal time.
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await decoy, password.slice(0, MAX_PASSWORD_LENGTH));
}
