import { Secret, TOTP } from 'otpauth';

/** The code an authenticator app shows for the base32 `secret` at `timestamp` (pass the server's clock). */
export const totpCode = (secret: string, timestamp: number): string =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp });

/** A six-digit code that is surely not `code`. */
export const otherCode = (code: string): string => (code === '000000' ? '111111' : '000000');
