// Access tokens whose signature this process has checked, by their exact
// text. An RS256 verification was about a tenth of a GetUser's CPU (profile
// of bench/server.ts), and an app presents the same access token on call
// after call for its hour; whether a given string carries a valid signature
// by a given key never changes, so that one answer is kept. Nothing else is:
// TokenService.verifyAccess still looks the signing key up by kid (a key
// removed from the pool refuses its tokens as before), and checks the issuer,
// expiry, scope, token family (revocation) and user on every call.
//
// Only strings that verified are kept, so made-up tokens can neither fill the
// cache nor push real ones out. The cache is bounded (least recently used
// leaves first) and an entry goes at its token's `exp`, after which the
// token is refused anyway.

export interface VerifiedToken {
  /** The signing key the signature verified under. */
  kid: string;
  /** The payload as parsed at verification, frozen: callers share it. */
  payload: Readonly<Record<string, unknown>>;
  /** The token's `exp`, seconds since the epoch: the entry's end. */
  exp: number;
}

export const VERIFIED_TOKENS_MAX = 10_000;

export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly max = VERIFIED_TOKENS_MAX) {}

  /** The verification of exactly this string, unless it is unknown or its `exp` (seconds) is not after `nowS`. */
  get(token: string, nowS: number): VerifiedToken | undefined {
    const hit = this.entries.get(token);
    if (hit === undefined) return undefined;
    this.entries.delete(token);
    if (hit.exp <= nowS) return undefined;
    // Re-inserted: the Map's order is least recently used first.
    this.entries.set(token, hit);
    return hit;
  }

  /** Records a string whose signature verified under `kid`; `payload` is frozen. */
  set(token: string, kid: string, payload: Record<string, unknown>, exp: number): void {
    if (this.max <= 0) return;
    this.entries.delete(token);
    this.entries.set(token, { kid, payload: deepFreeze(payload), exp });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
