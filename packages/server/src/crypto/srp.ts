import { createDiffieHellman, createHash, createHmac, getDiffieHellman, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

// SRP-6a as Amazon Cognito's clients compute it (amazon-cognito-identity-js
// AuthenticationHelper, Amplify v6 srp/): the 3072-bit group of RFC 3526,
// g = 2, SHA-256, numbers hashed in the "padHex" form (even-length hex with a
// leading 00 when the top bit is set, as Java's BigInteger.toByteArray), and
// a 16-byte session key from HKDF with the info "Caldera Derived Key".
//
// Modular exponentiation goes through OpenSSL: a Diffie-Hellman object over N
// computes peer^private mod N, so setting the exponent as the private key and
// the base as the peer key gives base^exponent mod N, several times faster
// than JavaScript's BigInt.

const N_BYTES = getDiffieHellman('modp15').getPrime();
export const N = toBig(N_BYTES);
export const g = 2n;
const dh = createDiffieHellman(N_BYTES, Buffer.from([2]));

/** Bits of the server's secret ephemeral b: RFC 5054 asks for at least 256. */
const B_SECRET_BYTES = 32;
const INFO = Buffer.from('Caldera Derived Key', 'utf8');

function toBig(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function toBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** Even-length hex of a non-negative n, with 00 in front when its top bit is set. */
export function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

/** SHA-256 of the bytes a hex string spells, as hex. */
export const hashHex = (hex: string): string => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

/** k = H(padHex(N) ‖ padHex(g)). */
export const k = BigInt(`0x${hashHex(padHex(N) + padHex(g))}`);

/** base^exponent mod N through OpenSSL. */
export function modPow(base: bigint, exponent: bigint): bigint {
  const b = ((base % N) + N) % N;
  // OpenSSL refuses peer keys outside 2..N-2; their powers are trivial.
  if (b <= 1n || exponent === 0n) return exponent === 0n ? 1n : b;
  if (b === N - 1n) return exponent % 2n === 0n ? 1n : b;
  dh.setPrivateKey(toBytes(exponent));
  return toBig(dh.computeSecret(toBytes(b)));
}

/** The same in plain BigInt: only for the benchmark's comparison. */
export function modPowBigInt(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = ((base % N) + N) % N;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % N;
    b = (b * b) % N;
  }
  return result;
}

/** The part of a pool ID after the region and underscore: it salts every SRP password hash. */
export const poolName = (poolId: string): string => poolId.slice(poolId.indexOf('_') + 1);

/** A fresh salt in the form the clients read back (hex of a 128-bit number, padHex form). */
export const newSalt = (): string => padHex(toBig(randomBytes(16)));

/** A salt from 16 bytes the caller chose (the simulated answer for unknown users). */
export const saltFrom = (bytes: Buffer): string => padHex(toBig(bytes.subarray(0, 16)));

/** x = H(padHex(salt) ‖ H(poolName ‖ username ‖ ":" ‖ password)). */
export function passwordExponent(pool: string, username: string, password: string, salt: string): bigint {
  const inner = createHash('sha256').update(`${pool}${username}:${password}`, 'utf8').digest('hex');
  return BigInt(`0x${hashHex(padHex(BigInt(`0x${salt}`)) + inner)}`);
}

/** The verifier v = g^x mod N that the server keeps instead of anything it could sign in with directly. */
export function verifier(pool: string, username: string, password: string, salt: string): bigint {
  return modPow(g, passwordExponent(pool, username, password, salt));
}

/** Parses the client's SRP_A: hex, at most the size of N; A mod N must not be 0. Null when unusable. */
export function parseA(hex: string): bigint | null {
  if (!/^[0-9a-fA-F]{1,800}$/.test(hex)) return null;
  const A = BigInt(`0x${hex}`);
  // Within the group and not a trivial element (0, 1, N-1), as SRP-6a requires A mod N != 0.
  return A <= 1n || A >= N - 1n ? null : A;
}

/** u = H(padHex(A) ‖ padHex(B)). */
export const scramble = (A: bigint, B: bigint): bigint => BigInt(`0x${hashHex(padHex(A) + padHex(B))}`);

/**
 * The server's side of one sign-in: a fresh b, B = k·v + g^b, u = H(A ‖ B)
 * and S = (A · v^u)^b, reduced to the 16-byte key both sides derive from S.
 * b is dropped here: only B (for the client) and the key (to check the
 * client's claim) leave this function.
 */
export function serverSession(A: bigint, v: bigint): { B: bigint; key: Buffer } {
  for (;;) {
    const b = toBig(randomBytes(B_SECRET_BYTES));
    if (b === 0n) continue;
    const B = (k * v + modPow(g, b)) % N;
    if (B === 0n) continue;
    const u = scramble(A, B);
    if (u === 0n) continue;
    const S = modPow((A % N) * modPow(v, u), b);
    return { B, key: sessionKey(S, u) };
  }
}

/** HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), first 16 bytes. */
export function sessionKey(S: bigint, u: bigint): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), INFO, 16));
}

/** PASSWORD_CLAIM_SIGNATURE = Base64(HMAC-SHA256(key, poolName ‖ userId ‖ secretBlock ‖ timestamp)). */
export function claimSignature(key: Buffer, pool: string, userId: string, secretBlock: Buffer, timestamp: string): string {
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(pool, 'utf8'), Buffer.from(userId, 'utf8'), secretBlock, Buffer.from(timestamp, 'utf8')]))
    .digest('base64');
}

export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The clients' TIMESTAMP, "ddd MMM D HH:mm:ss UTC YYYY" (day not zero-padded), for time `ms`. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Epoch ms of a TIMESTAMP in exactly the clients' format (weekday and date must agree), else null. */
export function parseTimestamp(text: string): number | null {
  const m = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) ([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([0-9]{4})$/.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!);
  if (month < 0 || !DAYS.includes(m[1]!)) return null;
  const ms = Date.UTC(Number(m[7]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  // Round-tripping rejects dates that do not exist (Feb 30) and a weekday that does not match.
  return formatTimestamp(ms) === text ? ms : null;
}
