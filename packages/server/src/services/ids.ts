import { randomBytes, randomInt, randomUUID } from 'node:crypto';

// Randomness is a dependency: identifiers, codes and secrets come from here,
// so a test can make them predictable. The default draws from the CSPRNG.
export interface Ids {
  uuid(): string;
  /** `count` characters drawn uniformly from `alphabet`. */
  chars(alphabet: string, count: number): string;
  /** A numeric one-time code of `digits` digits. */
  code(digits: number): string;
  /** `n` random bytes. */
  bytes(n: number): Buffer;
}

export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const cryptoIds: Ids = {
  uuid: () => randomUUID(),
  chars(alphabet, count) {
    let out = '';
    for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
  },
  code(digits) {
    return String(randomInt(10 ** digits)).padStart(digits, '0');
  },
  bytes: (n) => randomBytes(n),
};

export const newPoolId = (ids: Ids, region: string): string => `${region}_${ids.chars(ALNUM, 9)}`;
export const newClientId = (ids: Ids): string => ids.chars(LOWER_ALNUM, 26);
export const newClientSecret = (ids: Ids): string => ids.chars(LOWER_ALNUM, 51);
