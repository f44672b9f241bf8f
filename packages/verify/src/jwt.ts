import { VerifyError } from './errors.js';
import type { Algorithm } from './keys.js';

// Taking a compact JWS apart (RFC 7515 §7.1) without trusting any of it:
// every segment must be canonical base64url, the header and payload must be
// UTF-8 JSON objects without prototype keys, and header parameters that point
// at other keys or demand extensions are refused.

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const SEXTETS = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) SEXTETS[c.charCodeAt(0)] = i;

/**
 * Decodes a base64url segment, or null if it is not in canonical form: only
 * the URL-safe alphabet, no padding, unused trailing bits zero (RFC 4648 §5
 * and §3.5, RFC 7515 §2), so that one token has exactly one spelling.
 *
 * Fast and exact: Node's decoder accepts both alphabets (so `+` and `/` are
 * looked for), folds code units above 0xFF onto bytes (so the segment must be
 * ASCII), and skips or stops at every other character outside the alphabet,
 * which always leaves the output shorter than 3/4 of the input length. The
 * attack tests try every character in every segment to hold Node to that.
 */
export function decodeSegment(segment: string): Buffer | null {
  const n = segment.length;
  const rest = n & 3;
  if (rest === 1) return null;
  if (Buffer.byteLength(segment, 'utf8') !== n || segment.indexOf('+') !== -1 || segment.indexOf('/') !== -1) return null;
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.length !== (n * 3) >> 2) return null;
  if (rest !== 0) {
    const last = SEXTETS[segment.charCodeAt(n - 1)] ?? -1;
    if (last < 0 || (last & (rest === 2 ? 0x0f : 0x03)) !== 0) return null;
  }
  return bytes;
}

/**
 * decodeSegment for `text.slice(start, end)` of a token already known to be
 * ASCII without `+` or `/`: decodes into `target` and returns the bytes (a
 * view of `target`), or null if not canonical. The same length argument as
 * decodeSegment holds; `target` must have room for the whole segment.
 */
export function decodeInto(target: Buffer, text: string, start: number, end: number): Buffer | null {
  const n = end - start;
  const rest = n & 3;
  const expected = (n * 3) >> 2;
  if (rest === 1 || expected > target.length) return null;
  if (target.write(text.slice(start, end), 0, 'base64url') !== expected) return null;
  if (rest !== 0) {
    const last = SEXTETS[text.charCodeAt(end - 1)] ?? -1;
    if (last < 0 || (last & (rest === 2 ? 0x0f : 0x03)) !== 0) return null;
  }
  return target.subarray(0, expected);
}

const isPrototypeKey = (key: string): boolean => key === '__proto__' || key === 'constructor' || key === 'prototype';

/** A key anywhere in the tree that could reach an object's prototype when merged, or null. */
function prototypeKey(root: object): string | null {
  let stack: object[] | null = null;
  let node: object | undefined = root;
  while (node !== undefined) {
    if (Array.isArray(node)) {
      for (const item of node) {
        if (typeof item !== 'object' || item === null) continue;
        stack ??= [];
        stack.push(item);
      }
    } else {
      for (const key in node) {
        if (isPrototypeKey(key)) return key;
        const value = (node as Record<string, unknown>)[key];
        if (typeof value !== 'object' || value === null) continue;
        stack ??= [];
        stack.push(value);
      }
    }
    node = stack?.pop();
  }
  return null;
}

/** A segment's bytes as a JSON object: UTF-8, valid JSON, an object, no prototype keys. */
export function jsonObject(bytes: Buffer, what: 'header' | 'payload'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new VerifyError('ERR_MALFORMED', `The token ${what} is not UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VerifyError('ERR_NOT_OBJECT', `The token ${what} is not a JSON object`);
  const bad = prototypeKey(value);
  if (bad !== null) throw new VerifyError('ERR_PROTOTYPE_KEY', `The token ${what} has a "${bad}" key`);
  return value as Record<string, unknown>;
}

export interface Header {
  readonly alg: Algorithm;
  readonly kid: string;
}

// Header parameters that name or carry a key (RFC 7515 §4.1.2–4.1.6): keys
// come only from the configured JWKS, so a token that brings its own is refused.
const KEY_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/** Parses and checks a protected header; `allowed` is the verifier's algorithm list. */
export function parseHeader(segment: string, allowed: ReadonlySet<string>): Header {
  const bytes = decodeSegment(segment);
  if (bytes === null) throw new VerifyError('ERR_BASE64', 'The token header is not canonical base64url');
  const header = jsonObject(bytes, 'header');
  const alg = header['alg'];
  if (typeof alg !== 'string') throw new VerifyError('ERR_ALG', 'The token header has no alg');
  if (alg.toLowerCase() === 'none') throw new VerifyError('ERR_ALG', 'Unsigned tokens (alg none) are refused');
  if (!allowed.has(alg)) throw new VerifyError('ERR_ALG', 'The token alg is not one this verifier accepts');
  // RFC 7515 §4.1.11: a recipient must refuse a crit extension it does not
  // understand, and this verifier understands none (b64, RFC 7797, would
  // change the signing input, so it is refused with or without crit).
  if (Object.hasOwn(header, 'crit')) throw new VerifyError('ERR_CRIT', 'The token header demands extensions (crit) this verifier does not support');
  if (Object.hasOwn(header, 'b64')) throw new VerifyError('ERR_CRIT', 'The token header uses the b64 extension, which is not supported');
  for (const name of KEY_PARAMETERS) {
    if (Object.hasOwn(header, name))
      throw new VerifyError('ERR_HEADER_KEY', `The token header carries or points at a key (${name}); keys come only from the JWKS`);
  }
  const kid = header['kid'];
  if (kid === undefined) throw new VerifyError('ERR_KID_MISSING', 'The token header has no kid');
  if (typeof kid !== 'string' || kid === '') throw new VerifyError('ERR_KID_MISSING', 'The token kid is not a non-empty string');
  return { alg: alg as Algorithm, kid };
}
