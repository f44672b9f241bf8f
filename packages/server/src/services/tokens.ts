import { sha256Base64url } from '../crypto/digest.ts';
import { createHash, sign as rsaSign, verify as cryptoVerify } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { Config } from '../config/schema.ts';
import { openPrivateKey, publicKeyOf, type TokenUse } from '../crypto/signing-keys.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import { TOKEN_VALIDITY_BOUNDS, validitySeconds, type AppClient } from '../domain/client-settings.ts';
import { sessionConfigOf, type Pool } from '../domain/pool-settings.ts';
import { idTokenClaims } from '../domain/claims.ts';
import { groupClaims, type GroupClaims } from '../domain/group.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import type { MfaSummary } from '../store/mfa.ts';
import type { SessionRow, SigningKeyRow } from '../store/tables.ts';
import type { Clock } from './clock.ts';
import type { Ids } from './ids.ts';
import { VerifiedTokens } from './verified-tokens.ts';

export interface AuthenticationResult {
  AccessToken: string;
  /** Absent only from the OAuth endpoints' grants without the `openid` scope. */
  IdToken?: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  /** Set when the pool tracks devices: the device this sign-in may remember (ConfirmDevice). */
  NewDeviceMetadata?: { DeviceKey: string; DeviceGroupKey: string };
}

export interface AccessClaims extends JWTPayload {
  sub: string;
  client_id: string;
  origin_jti: string;
  event_id: string;
  token_use: 'access';
  scope: string;
  auth_time: number;
  username: string;
}

/** What an access token from Cognito's API sign-ins grants: the user's own operations (GetUser, ChangePassword, …). */
export const API_SCOPES: readonly string[] = ['aws.cognito.signin.user.admin'];
const sameScopes = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** What an OAuth grant adds to a sign-in: the request's nonce, the time the user actually signed in (a managed-login session's). */
export interface SignInExtras {
  nonce?: string | null;
  /** Unix seconds; now when not given. */
  authTime?: number;
  /** The token family's ID, when the caller must know it before the family exists (an authorization code records it). */
  originJti?: string;
  /** A family from the OAuth endpoints: its scopes are recorded whatever they are (an ID token then needs `openid`). */
  oauth?: boolean;
}

/**
 * The claims of the tokens about to be signed, for the pre token generation
 * trigger to reshape in place (triggers/pre-token-generation.ts): `id` is
 * null when no ID token is issued (an OAuth family without `openid`, the
 * client-credentials grant), `user` null for the client-credentials grant.
 */
export interface TokenClaims {
  pool: Pool;
  client: AppClient;
  user: User | null;
  /** The user's group claims as the ID token would carry them (the trigger's groupConfiguration). */
  groups: GroupClaims;
  access: Record<string, unknown>;
  id: Record<string, unknown> | null;
}

/** Runs the pool's pre token generation trigger over the claims, or does nothing (null: not asked). */
export type ClaimsHook = (claims: TokenClaims) => Promise<void>;

/** A sign-in's family and claims, ready to be stored and signed (TokenService.prepareSignIn). */
export interface PreparedSignIn {
  pool: Pool;
  session: SessionRow;
  refreshToken: string;
  claims: { access: Record<string, unknown>; id: Record<string, unknown> | null; accessTtl: number };
  nonce: string | null;
}

/** OpenID Connect Core 3.1.3.6: the left half of the SHA-256 of the access token, base64url. */
export const atHash = (accessToken: string): string => createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');

const MAX_TOKEN_BYTES = 16 * 1024;
/**
 * Three base64url segments, each exactly as its bytes re-encode: base64url
 * decoders ignore padding and unused low bits, so one token could otherwise
 * be spelled several ways (a verifier must refuse non-canonical encodings).
 */
export function isCanonicalJws(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p) && Buffer.from(p, 'base64url').toString('base64url') === p);
}

/** The claims verifyAccess requires of every access token. */
const ACCESS_CLAIMS = ['exp', 'iat', 'sub', 'client_id', 'origin_jti', 'token_use', 'username'] as const;
const STRING_CLAIMS = ['sub', 'client_id', 'origin_jti', 'username'] as const;
/** A signing key's kid: its base64url SHA-256 JWK thumbprint (crypto/signing-keys.ts). */
const KID = /^[A-Za-z0-9_-]{43}$/;
/**
 * The longest an access token of any app client lives (exp - iat): Cognito's
 * AccessTokenValidity ranges from five minutes to one day (TokenValidityUnitsType).
 * A longer-lived token was never issued by a pool.
 */
export const MAX_ACCESS_TOKEN_LIFETIME_S = TOKEN_VALIDITY_BOUNDS.AccessToken.max;
/**
 * How far in the future an access token's `iat` may be: the clock skew
 * tolerated between the nodes sharing a database (one signs, another checks).
 * Five minutes, as SigV4 allows between client and server.
 */
export const ACCESS_TOKEN_IAT_SKEW_S = 300;

/** A base64url segment of a canonical JWS as a JSON object, or null. */
function jsonSegment(token: string, start: number, end: number): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token.slice(start, end), 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const hashRefreshToken = sha256Base64url;

// Issues and checks the pool's tokens. Every access and ID token carries the
// `origin_jti` of the sign-in (the token family) it came from; revoking that
// family (RevokeToken, GlobalSignOut, disabling the user) makes Cognate refuse
// all of its tokens at once.
export class TokenService {
  private publicUrl: string;
  /** Access tokens whose signature verified, by their exact text (verified-tokens.ts). */
  readonly verified = new VerifiedTokens();

  constructor(private readonly deps: { config: Config; store: Store; master: MasterKey; clock: Clock; ids: Ids }) {
    this.publicUrl = deps.config.publicUrl;
  }

  /** For a server started on port 0: the issuer base becomes known only once it listens. */
  setPublicUrl(url: string): void {
    this.publicUrl = url.replace(/\/+$/, '');
  }

  /** The public URL the server answers on: the OAuth endpoints' base. */
  baseUrl(): string {
    return this.publicUrl;
  }

  issuer(poolId: string): string {
    return `${this.publicUrl}/${poolId}`;
  }

  /**
   * A new sign-in: a token family with its refresh token, and the first
   * access and ID tokens. `scopes`: what the access tokens of the family
   * grant; Cognito's API sign-ins grant `aws.cognito.signin.user.admin`
   * only, the OAuth endpoints what the client asked for and may have.
   */
  async signIn(
    store: Store,
    pool: Pool,
    client: AppClient,
    user: User,
    preToken: ClaimsHook | null,
    scopes: readonly string[] = API_SCOPES,
    extras: SignInExtras = {},
  ): Promise<AuthenticationResult> {
    return this.completeSignIn(store, await this.prepareSignIn(store, pool, client, user, preToken, scopes, extras));
  }

  /**
   * signIn's first half: the family and its first claims, the pre token
   * generation trigger asked. Nothing is written, so a caller that must
   * write in one transaction (the authorization code grant) can ask the
   * function before it opens one, rather than hold the database while a
   * function runs.
   */
  async prepareSignIn(
    store: Store,
    pool: Pool,
    client: AppClient,
    user: User,
    preToken: ClaimsHook | null,
    scopes: readonly string[] = API_SCOPES,
    extras: SignInExtras = {},
  ): Promise<PreparedSignIn> {
    const now = this.deps.clock.now();
    const refreshToken = this.deps.ids.bytes(48).toString('base64url');
    const session: SessionRow = {
      origin_jti: extras.originJti ?? this.deps.ids.uuid(),
      pool_id: pool.id,
      client_id: client.clientId,
      sub: user.sub,
      refresh_hash: hashRefreshToken(refreshToken),
      auth_time: extras.authTime ?? Math.floor(now / 1000),
      created_at: now,
      expires_at: now + validitySeconds(client.settings, 'RefreshToken') * 1000,
      revoked_at: null,
      scope: !extras.oauth && sameScopes(scopes, API_SCOPES) ? null : scopes.join(' '),
    };
    // The trigger runs before the family is stored: a function that fails leaves no refresh token behind.
    const claims = await this.claims(store, pool, client, user, session, preToken);
    return { pool, session, refreshToken, claims, nonce: extras.nonce ?? null };
  }

  /** signIn's second half: stores the family and signs its first tokens. */
  async completeSignIn(store: Store, prepared: PreparedSignIn): Promise<AuthenticationResult> {
    // With session tracking on, the user keeps at most MaxPerUser token
    // sessions: the oldest go to make room for this one (SetUserPoolSessionConfiguration).
    const sessions = sessionConfigOf(prepared.pool);
    if (sessions.UserSessionTracking === 'ENABLED') {
      await store.tokens.revokeSessionsBeyond(prepared.session.sub, sessions.TokenSession.MaxPerUser - 1, Number(prepared.session.created_at));
    }
    await store.tokens.insertSession(prepared.session);
    return { ...(await this.signed(store, prepared.pool, prepared.session, prepared.claims, prepared.nonce)), RefreshToken: prepared.refreshToken };
  }

  /**
   * New access and ID tokens in an existing family; `auth_time` and the
   * scopes stay those of the sign-in. A family from the OAuth endpoints
   * (its scopes recorded) gets an ID token only with `openid`, and that ID
   * token carries `at_hash`, and `nonce` when the authorization request had one.
   */
  async mint(store: Store, pool: Pool, client: AppClient, user: User, session: SessionRow, preToken: ClaimsHook | null): Promise<AuthenticationResult> {
    return this.signed(store, pool, session, await this.claims(store, pool, client, user, session, preToken), null);
  }

  /**
   * The access and ID claims of a family's next tokens, as the pre token
   * generation trigger leaves them: the one place every user token's claims
   * are built and handed to it (sign-in, refresh, the OAuth grants alike).
   */
  private async claims(
    store: Store,
    pool: Pool,
    client: AppClient,
    user: User,
    session: SessionRow,
    preToken: ClaimsHook | null,
  ): Promise<{ access: Record<string, unknown>; id: Record<string, unknown> | null; accessTtl: number }> {
    const nowS = Math.floor(this.deps.clock.now() / 1000);
    const eventId = this.deps.ids.uuid();
    const accessTtl = validitySeconds(client.settings, 'AccessToken');
    const common = { origin_jti: session.origin_jti, event_id: eventId, auth_time: Number(session.auth_time) };
    // Read at every issue, so a refresh reflects group changes since sign-in.
    const groups = groupClaims(await store.groups.forUser(user.sub));
    const access = {
      sub: user.sub,
      ...groups.access,
      iss: this.issuer(pool.id),
      client_id: client.clientId,
      ...common,
      token_use: 'access',
      scope: session.scope ?? API_SCOPES.join(' '),
      exp: nowS + accessTtl,
      iat: nowS,
      jti: this.deps.ids.uuid(),
      username: user.username,
      version: 2,
    };
    const id = {
      ...idTokenClaims(pool, client, user),
      ...groups.id,
      iss: this.issuer(pool.id),
      aud: client.clientId,
      ...common,
      token_use: 'id',
      exp: nowS + validitySeconds(client.settings, 'IdToken'),
      iat: nowS,
      jti: this.deps.ids.uuid(),
    };
    const withId = session.scope === null || session.scope === undefined || session.scope.split(' ').includes('openid');
    const claims = { pool, client, user, groups: groups.id, access: access as Record<string, unknown>, id: withId ? (id as Record<string, unknown>) : null };
    await preToken?.(claims);
    return { access: claims.access, id: claims.id, accessTtl };
  }

  /** Signs the claims: the ID token of an OAuth family carries `at_hash`, and `nonce` when the authorization request had one. */
  private async signed(
    store: Store,
    pool: Pool,
    session: SessionRow,
    claims: { access: Record<string, unknown>; id: Record<string, unknown> | null; accessTtl: number },
    nonce: string | null,
  ): Promise<AuthenticationResult> {
    const accessToken = await this.sign(store, pool.id, 'access', claims.access);
    const ExpiresIn = claims.accessTtl;
    if (claims.id === null) return { AccessToken: accessToken, ExpiresIn, TokenType: 'Bearer' };
    const oauthClaims = session.scope !== null ? { at_hash: atHash(accessToken), ...(nonce === null ? {} : { nonce }) } : {};
    return { AccessToken: accessToken, IdToken: await this.sign(store, pool.id, 'id', { ...oauthClaims, ...claims.id }), ExpiresIn, TokenType: 'Bearer' };
  }

  /**
   * The client-credentials grant's access token: the client acting for
   * itself, so `sub` is the client ID; no ID token, no refresh token, no
   * token family (nothing to revoke it by: it lives out its validity).
   */
  async clientCredentials(
    store: Store,
    pool: Pool,
    client: AppClient,
    scopes: readonly string[],
    preToken: ClaimsHook | null,
  ): Promise<{ AccessToken: string; ExpiresIn: number; TokenType: 'Bearer' }> {
    const nowS = Math.floor(this.deps.clock.now() / 1000);
    const ttl = validitySeconds(client.settings, 'AccessToken');
    const claims = {
      sub: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: nowS,
      iss: this.issuer(pool.id),
      exp: nowS + ttl,
      iat: nowS,
      version: 2,
      jti: this.deps.ids.uuid(),
      client_id: client.clientId,
    };
    const shaped = { pool, client, user: null, groups: {}, access: claims as Record<string, unknown>, id: null };
    await preToken?.(shaped);
    return { AccessToken: await this.sign(store, pool.id, 'access', shaped.access), ExpiresIn: ttl, TokenType: 'Bearer' };
  }

  private async sign(store: Store, poolId: string, use: TokenUse, claims: Record<string, unknown>): Promise<string> {
    const key = (await store.pools.signingKeys(poolId)).find((k) => k.token_use === use && k.status === 'active');
    if (!key) throw new Error(`Pool ${poolId} has no active ${use} signing key`);
    // node:crypto's callback form signs on the threadpool with less CPU and
    // main-thread time than jose's WebCrypto path (docs/performance.md), and
    // the main thread is what a busy server runs out of. The token is byte
    // for byte what jose's SignJWT made: the same JSON of the same header and
    // claims, and RS256 signatures are deterministic.
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${b64({ kid: key.kid, alg: 'RS256' })}.${b64(claims)}`;
    const privateKey = openPrivateKey(this.deps.master, key);
    const signature = await new Promise<Buffer>((resolve, reject) =>
      rsaSign('sha256', Buffer.from(input), privateKey, (err, sig) => (err ? reject(err) : resolve(sig))),
    );
    return `${input}.${signature.toString('base64url')}`;
  }

  /**
   * Full check of an access token presented to an access-token operation:
   * size, signature by the pool's access key, issuer, expiry, token_use, the
   * client, the scope the call needs (the user-pool API: aws.cognito.signin.user.admin),
   * the token family not revoked, the user still present and enabled.
   */
  async verifyAccess(
    token: string,
    requiredScope: string = API_SCOPES[0]!,
  ): Promise<{ claims: AccessClaims; pool: Pool; client: AppClient; user: User; mfa: MfaSummary }> {
    const invalid = () => Errors.NotAuthorized('Invalid Access Token');
    if (token.length > MAX_TOKEN_BYTES) throw invalid();
    const store = this.deps.store;
    const now = Math.floor(this.deps.clock.now() / 1000);
    // The same string verified before (services/verified-tokens.ts): its
    // signature is the same answer; the key must still be the pool's, and
    // every check below runs again.
    const seen = this.verified.get(token, now);
    let key: SigningKeyRow | null;
    let payload: Record<string, unknown> | null;
    if (seen) {
      key = await store.pools.signingKey(seen.kid);
      if (key?.token_use !== 'access') throw invalid();
      payload = seen.payload;
    } else {
      if (!isCanonicalJws(token)) throw invalid();
      const dot1 = token.indexOf('.');
      const dot2 = token.lastIndexOf('.');
      const header = jsonSegment(token, 0, dot1);
      // Cognate signs with RS256 and marks nothing critical; anything else is not one of its tokens.
      // Cognate's kids are RFC 7638 thumbprints: anything else is refused before
      // it reaches the database (or the read cache).
      if (header?.['alg'] !== 'RS256' || typeof header['kid'] !== 'string' || !KID.test(header['kid']) || header['crit'] !== undefined) throw invalid();
      key = await store.pools.signingKey(header['kid']);
      if (key?.token_use !== 'access') throw invalid();
      const publicKey = publicKeyOf(key);
      // node:crypto directly: jose's jwtVerify cost about five times the RSA
      // check itself (bench/verify.ts), on every access-token call.
      const signature = Buffer.from(token.slice(dot2 + 1), 'base64url');
      if (!cryptoVerify('sha256', Buffer.from(token.slice(0, dot2), 'latin1'), publicKey, signature)) throw invalid();
      payload = jsonSegment(token, dot1 + 1, dot2);
      // Kept only with a numeric exp still ahead (checked again below), and until then.
      if (payload && typeof payload['exp'] === 'number' && payload['exp'] > now) this.verified.set(token, key.kid, payload, payload['exp']);
    }
    if (!payload || ACCESS_CLAIMS.some((c) => payload[c] === undefined)) throw invalid();
    if (payload['iss'] !== this.issuer(key.pool_id)) throw invalid();
    const { exp, iat, nbf } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number' || (nbf !== undefined && typeof nbf !== 'number')) throw invalid();
    // RFC 7519 §4.1.4: refused on or after exp.
    if (exp <= now) throw Errors.NotAuthorized('Access Token has expired');
    if (typeof nbf === 'number' && nbf > now) throw invalid();
    // No pool signs a token that lives longer than a day or was issued in
    // the future: such a token was signed with a leaked key or under a wrong
    // clock. Checked here, after the cache, so on every call.
    if (exp - iat > MAX_ACCESS_TOKEN_LIFETIME_S || iat > now + ACCESS_TOKEN_IAT_SKEW_S) throw invalid();
    if (payload['token_use'] !== 'access' || STRING_CLAIMS.some((c) => typeof payload[c] !== 'string')) throw invalid();
    const claims = payload as AccessClaims;
    // Cognito's words when a token (from the OAuth endpoints) lacks the scope the call needs: aws.cognito.signin.user.admin for the user-pool API.
    if (typeof payload['scope'] !== 'string' || !payload['scope'].split(' ').includes(requiredScope))
      throw Errors.NotAuthorized('Access Token does not have required scopes');
    // The family, its user (the family's sub, checked to be the token's) and
    // the user's MFA summary come from one statement (store/users.ts family).
    const [pool, client, family] = await Promise.all([
      store.pools.pool(key.pool_id),
      store.pools.client(claims.client_id),
      store.users.family(claims.origin_jti),
    ]);
    if (!pool || !client || client.poolId !== pool.id) throw invalid();
    const session = family?.session;
    if (!session || session.sub !== claims.sub || session.client_id !== client.clientId) throw invalid();
    if (session.revoked_at !== null) throw Errors.NotAuthorized('Access Token has been revoked');
    const user = family.user;
    if (!user || user.poolId !== pool.id) throw Errors.NotAuthorized('User does not exist.');
    if (!user.enabled || user.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
    if (user.status === 'COMPROMISED') throw Errors.NotAuthorized('Access Token has been revoked');
    return { claims, pool, client, user, mfa: family.mfa };
  }
}
