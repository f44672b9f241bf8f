import { createHmac } from 'node:crypto';
import * as identity from 'amazon-cognito-identity-js';

// The client half of SRP as amazon-cognito-identity-js computes it: its own
// AuthenticationHelper (exported at run time, untyped), so the server is
// checked against Cognito's client code rather than against itself. The claim
// signature is the few lines CognitoUser.authenticateUserDefaultAuth runs.

/** The library's BigInteger (jsbn), as far as the tests use it. */
export interface JsbnBigInteger {
  toString(radix: number): string;
}

export interface AuthenticationHelper {
  N: JsbnBigInteger;
  g: JsbnBigInteger;
  k: JsbnBigInteger;
  smallAValue: JsbnBigInteger;
  largeAValue: JsbnBigInteger | undefined;
  padHex(n: JsbnBigInteger): string;
  hash(data: string | Buffer): string;
  hexHash(hex: string): string;
  calculateU(A: JsbnBigInteger, B: JsbnBigInteger): JsbnBigInteger;
  computehkdf(ikm: Buffer, salt: Buffer): Buffer;
  getLargeAValue(cb: (err: Error | null, A: JsbnBigInteger) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, B: JsbnBigInteger, salt: JsbnBigInteger, cb: (err: Error | null, key: Buffer) => void): void;
}

const { AuthenticationHelper: Helper } = identity as unknown as { AuthenticationHelper: new (poolName: string) => AuthenticationHelper };

export const newHelper = (poolName: string): AuthenticationHelper => new Helper(poolName);

/** A jsbn BigInteger from hex, made with the library's own constructor. */
export function big(helper: AuthenticationHelper, hex: string): JsbnBigInteger {
  const Ctor = helper.N.constructor as new (value: string, radix: number) => JsbnBigInteger;
  return new Ctor(hex, 16);
}

export const largeA = (helper: AuthenticationHelper): Promise<JsbnBigInteger> =>
  new Promise((resolve, reject) => helper.getLargeAValue((err, A) => (err ? reject(err) : resolve(A))));

export const passwordKey = (helper: AuthenticationHelper, userId: string, password: string, srpB: string, salt: string): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    helper.getPasswordAuthenticationKey(userId, password, big(helper, srpB), big(helper, salt), (err, key) => (err ? reject(err) : resolve(key))),
  );

/** PASSWORD_CLAIM_SIGNATURE exactly as CognitoUser computes it. */
export function claim(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string): string {
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(userId, 'utf8'),
    Buffer.from(secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  return createHmac('sha256', key).update(message).digest('base64');
}

export const poolNameOf = (poolId: string): string => poolId.split('_')[1]!;
