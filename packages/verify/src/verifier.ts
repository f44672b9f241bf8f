import { checkClaims, type ClaimRules, type ClaimsFor, type TokenUse } from './claims.js';
import { VerifyError } from './errors.js';
import { JwksCache, sharedJwksCache, type JwksOptions } from './jwks.js';
import { decodeInto, decodeSegment, jsonObject, parseHeader, type Header } from './jwt.js';
import { ALGORITHMS, isAlgorithm, keyMismatch, signatureValid, type Algorithm, type KeyEntry } from './keys.js';

export interface VerifierOptions<T extends TokenUse | null = TokenUse | null> {
  /**
   * The exact `iss` of the pool's tokens, with no trailing slash: Cognate's
   * `<public URL>/<poolId>` or Cognito's
   * `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
   */
  issuer: string;
  /** `'access'` or `'id'`; `null` accepts either (and checks nothing). */
  tokenUse: T;
  /** Allowed app client ID(s): `client_id` of access tokens, `aud` of ID tokens. `null` skips the check. */
  clientId: string | readonly string[] | null;
  /** The token must be in at least one of these groups (`cognito:groups`). Absent or `null`: no check. */
  groups?: string | readonly string[] | null;
  /** The token must carry at least one of these scopes (`scope`). Absent or `null`: no check. */
  scopes?: string | readonly string[] | null;
  /** Where the keys are. Default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Tolerance for clock differences on exp, nbf and iat. Default 60 seconds. */
  clockSkewSeconds?: number;
  /** Longest accepted `exp - iat`. Default 86400 (Cognito's maximum, one day). `null` skips the check. */
  maxLifetimeSeconds?: number | null;
  /** Accepted signature algorithms. Default `['RS256']`, the only one Cognito and Cognate use. */
  algorithms?: readonly Algorithm[];
  /** Longer tokens are refused before any parsing. Default 16384 characters. */
  maxTokenBytes?: number;
  /** JWKS fetching and caching settings, or a cache to share explicitly. */
  jwks?: JwksOptions | JwksCache;
  /** Clock in milliseconds for the time claims. Default `Date.now`. */
  now?: () => number;
}

export interface Verifier<C> {
  readonly issuer: string;
  readonly jwksUri: string;
  /** The key cache in use (shared with other verifiers of the same JWKS URI and settings). */
  readonly jwks: JwksCache;
  /** Verifies a token, fetching the JWKS first if needed. Rejects with a VerifyError. */
  verify(token: string): Promise<C>;
  /** Verifies a token with the keys in memory (after `hydrate()`). Throws a VerifyError. */
  verifySync(token: string): C;
  /** Loads the JWKS now (at start-up, before `verifySync`). */
  hydrate(): Promise<void>;
  /** Uses this JWKS document instead of fetching it. */
  cacheJwks(jwks: unknown): void;
}

const config = (message: string): VerifyError => new VerifyError('ERR_CONFIG', message);

function list(value: string | readonly string[] | null | undefined, what: string, required: boolean): readonly string[] | null {
  if (value === null) return null;
  if (value === undefined) {
    if (required) throw config(`${what} is required (pass null to skip the check)`);
    return null;
  }
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || items.length === 0 || !items.every((v) => typeof v === 'string' && v !== ''))
    throw config(`${what} must be a non-empty string or list of non-empty strings`);
  return Object.freeze([...items]);
}

function issuerOf(value: unknown): string {
  if (typeof value !== 'string') throw config('issuer is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw config('issuer must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw config('issuer must be an http(s) URL');
  // The iss claim is compared exactly, so a configured trailing slash would
  // refuse every genuine token: say so now rather than at the first request.
  if (value.endsWith('/')) throw config('issuer must not end with "/" (Cognito and Cognate issuers have none)');
  if (url.search || url.hash) throw config('issuer must not have a query or fragment');
  return value;
}

/**
 * Creates a verifier for the tokens of one user pool. Every check is on
 * unless switched off by an explicit `null`.
 */
export function createVerifier<T extends TokenUse | null>(options: VerifierOptions<T>): Verifier<ClaimsFor<T>> {
  return new CognitoJwtVerifier<ClaimsFor<T>>(options);
}

const MAX_CACHED_HEADERS = 64;
const encoder = new TextEncoder();
const MAX_SIGNATURE_BYTES = 1024; // RSA-8192
const MAX_SIGNATURE_CHARS = Math.ceil((MAX_SIGNATURE_BYTES * 4) / 3);

class CognitoJwtVerifier<C> implements Verifier<C> {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly jwks: JwksCache;
  private readonly rules: ClaimRules;
  private readonly algorithms: ReadonlySet<string>;
  private readonly maxTokenBytes: number;
  // Protected headers repeat across tokens (one per signing key), so their
  // checked form is kept by exact segment text.
  private readonly headers = new Map<string, Header>();
  private lastHeaderSegment = '';
  private lastHeader: Header | null = null;
  // Reused for every token instead of new buffers each time: the checks that
  // read them run synchronously, start to end.
  private readonly scratch: Uint8Array;
  private readonly signatureScratch: Buffer;
  private readonly payloadScratch: Buffer;

  constructor(options: VerifierOptions<TokenUse | null>) {
    if (typeof options !== 'object' || options === null) throw config('createVerifier needs an options object');
    this.issuer = issuerOf(options.issuer);
    const { tokenUse } = options;
    if (tokenUse !== 'access' && tokenUse !== 'id' && tokenUse !== null) throw config("tokenUse must be 'access', 'id' or null");
    const skew = options.clockSkewSeconds ?? 60;
    if (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0) throw config('clockSkewSeconds must be a non-negative number');
    const maxLifetime = options.maxLifetimeSeconds === undefined ? 86_400 : options.maxLifetimeSeconds;
    if (maxLifetime !== null && (typeof maxLifetime !== 'number' || !(maxLifetime > 0))) throw config('maxLifetimeSeconds must be a positive number or null');
    const algorithms = options.algorithms ?? ['RS256'];
    if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every((a) => typeof a === 'string' && isAlgorithm(a))) {
      throw config(`algorithms must be a non-empty list of ${Object.keys(ALGORITHMS).join(', ')}`);
    }
    this.algorithms = new Set(algorithms);
    this.maxTokenBytes = options.maxTokenBytes ?? 16_384;
    if (!Number.isInteger(this.maxTokenBytes) || this.maxTokenBytes <= 0) throw config('maxTokenBytes must be a positive integer');
    this.scratch = new Uint8Array(this.maxTokenBytes);
    this.signatureScratch = Buffer.alloc(MAX_SIGNATURE_BYTES);
    this.payloadScratch = Buffer.alloc(this.maxTokenBytes);
    this.rules = Object.freeze({
      issuer: this.issuer,
      tokenUse,
      clientIds: list(options.clientId, 'clientId', true),
      groups: list(options.groups, 'groups', false),
      scopes: list(options.scopes, 'scopes', false),
      skew,
      maxLifetime,
      now: options.now ?? Date.now,
    });
    const jwks = options.jwks;
    if (jwks instanceof JwksCache) {
      this.jwks = jwks;
    } else {
      const uri = options.jwksUri ?? `${this.issuer}/.well-known/jwks.json`;
      this.jwks = sharedJwksCache(uri, { ...jwks, ...(options.now && !jwks?.now ? { now: options.now } : {}) });
    }
    this.jwksUri = this.jwks.uri;
  }

  verifySync(token: string): C {
    return this.check(token, undefined, true)!;
  }

  async verify(token: string): Promise<C> {
    const claims = this.check(token, undefined, false);
    if (claims !== undefined) return claims;
    // The kid is not in memory. Refuse anything malformed before asking the
    // issuer, so garbage never costs a fetch; then fetch (single flight,
    // cool-down permitting) and check again with the key.
    this.precheck(token);
    const key = await this.jwks.key(this.header(token, token.indexOf('.')).kid);
    return this.check(token, key, true)!;
  }

  hydrate(): Promise<void> {
    return this.jwks.hydrate();
  }

  cacheJwks(jwks: unknown): void {
    this.jwks.load(jwks);
  }

  /** The checked header of the token, whose first dot is at `dot1`. */
  private header(token: string, dot1: number): Header {
    const last = this.lastHeaderSegment;
    if (last.length === dot1 && token.startsWith(last)) return this.lastHeader!;
    const segment = token.slice(0, dot1);
    let header = this.headers.get(segment);
    if (header === undefined) {
      header = parseHeader(segment, this.algorithms);
      if (this.headers.size >= MAX_CACHED_HEADERS) this.headers.clear();
      this.headers.set(segment, header);
    }
    this.lastHeaderSegment = segment;
    this.lastHeader = header;
    return header;
  }

  /**
   * The whole check, synchronously. With `sync` false, returns undefined
   * instead of throwing when the key is not in memory (verify then fetches).
   * Order: size, shape, header, key, encoding, signature, payload, claims.
   */
  private check(token: string, given: KeyEntry | undefined, sync: boolean): C | undefined {
    if (typeof token !== 'string' || token === '') throw new VerifyError('ERR_TOKEN_MISSING', 'No token');
    const length = token.length;
    if (length > this.maxTokenBytes) throw new VerifyError('ERR_TOKEN_TOO_LARGE', `The token is longer than ${this.maxTokenBytes} characters`);
    const dot1 = token.indexOf('.');
    const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) throw new VerifyError('ERR_MALFORMED', 'A JWT has three dot-separated segments');
    const header = this.header(token, dot1);
    let key = given ?? this.jwks.peek(header.kid);
    if (key === undefined) {
      if (!sync) return undefined;
      this.precheck(token); // garbage is refused as such, and starts no background refetch
      key = this.jwks.keySync(header.kid);
    }
    const mismatch = keyMismatch(header.alg, key);
    if (mismatch !== null) throw new VerifyError('ERR_KEY_MISMATCH', mismatch);
    if (dot2 === length - 1) throw new VerifyError('ERR_SIGNATURE', 'The token has no signature');
    if (length - dot2 - 1 > MAX_SIGNATURE_CHARS) throw new VerifyError('ERR_SIGNATURE', 'The token signature is longer than any supported key makes');

    // Encoding. The token's UTF-8 bytes go into the scratch buffer (the
    // signing input is its start); all of it must be ASCII, and neither
    // segment may use the other base64 alphabet.
    const { read, written } = encoder.encodeInto(token, this.scratch);
    if (read !== length || written !== length) throw new VerifyError('ERR_BASE64', 'The token is not ASCII, so not canonical base64url');
    if (token.indexOf('+', dot1) >= 0 || token.indexOf('/', dot1) >= 0)
      throw new VerifyError('ERR_BASE64', 'The token uses the base64 (not base64url) alphabet');
    const signature = decodeInto(this.signatureScratch, token, dot2 + 1, length);
    if (signature === null) throw new VerifyError('ERR_BASE64', 'The token signature is not canonical base64url');
    const payload = decodeInto(this.payloadScratch, token, dot1 + 1, dot2);
    if (payload === null) throw new VerifyError('ERR_BASE64', 'The token payload is not canonical base64url');

    if (!signatureValid(header.alg, key, this.scratch.subarray(0, dot2), signature))
      throw new VerifyError('ERR_SIGNATURE', 'The token signature does not verify');
    const claims = jsonObject(payload, 'payload');
    checkClaims(claims, this.rules);
    return claims as C;
  }

  /** verify()'s encoding checks before a fetch: the same as check(), without a key. */
  private precheck(token: string): void {
    const dot1 = token.indexOf('.');
    const dot2 = token.indexOf('.', dot1 + 1);
    if (dot2 === token.length - 1) throw new VerifyError('ERR_SIGNATURE', 'The token has no signature');
    if (decodeSegment(token.slice(dot2 + 1)) === null) throw new VerifyError('ERR_BASE64', 'The token signature is not canonical base64url');
    if (decodeSegment(token.slice(dot1 + 1, dot2)) === null) throw new VerifyError('ERR_BASE64', 'The token payload is not canonical base64url');
  }
}
