import { BlockList, isIP } from 'node:net';

// CIDR lists (IPv4 and IPv6) for trusted proxies and IP allow/deny rules,
// matched with node:net's BlockList. One parser serves the configuration
// (--trusted-proxies, --ip-allow, --ip-deny) and the per-pool and per-client
// rules of SetIpRules, so an entry means the same thing everywhere.

/** The largest number of entries one list may hold. */
export const MAX_CIDRS = 100;

interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Parses `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or
 * /128). Returns null for anything else, so callers word their own error.
 */
export function parseCidr(entry: string): Cidr | null {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  if (extra !== undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A comma-separated list from the configuration; throws naming the first bad entry. */
export function parseCidrList(raw: string): string[] {
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const e of entries) if (!parseCidr(e)) throw new Error(`"${e}" is not an IPv4 or IPv6 address or CIDR block`);
  if (entries.length > MAX_CIDRS) throw new Error(`at most ${MAX_CIDRS} entries`);
  return entries;
}

/** IPv4 clients reaching a dual-stack socket appear as ::ffff:a.b.c.d: match them as the IPv4 address they are. */
function normalize(ip: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  const version = isIP(address);
  return version === 0 ? null : { address, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A compiled CIDR list. `matches` is false for anything that is not an IP address. */
export class CidrSet {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const c = parseCidr(e);
      if (!c) throw new Error(`"${e}" is not an IPv4 or IPv6 address or CIDR block`);
      this.list.addSubnet(c.address, c.prefix, c.family);
    }
    this.size = entries.length;
  }

  matches(ip: string): boolean {
    const n = normalize(ip);
    return n !== null && this.list.check(n.address, n.family);
  }
}

/**
 * One level of IP rules (server, pool or app client): an address in the deny
 * list is refused; with a non-empty allow list, so is every address outside
 * it. Deny wins over allow. An address that does not parse matches no list,
 * so it is refused exactly when an allow list exists.
 */
export class IpRules {
  private readonly allow: CidrSet;
  private readonly deny: CidrSet;

  constructor(allow: readonly string[], deny: readonly string[]) {
    this.allow = new CidrSet(allow);
    this.deny = new CidrSet(deny);
  }

  get empty(): boolean {
    return this.allow.size === 0 && this.deny.size === 0;
  }

  permits(ip: string): boolean {
    if (this.deny.matches(ip)) return false;
    return this.allow.size === 0 || this.allow.matches(ip);
  }
}

/**
 * Fastify's trustProxy as a function: a hop is believed only when it is in
 * the trusted set, so req.ip is the right-most X-Forwarded-For address that
 * no trusted proxy wrote, and the socket address when the peer is not trusted
 * (its X-Forwarded-For is then ignored entirely). False when no proxy is
 * trusted: req.ip is the socket address.
 */
export function trustProxyOption(trusted: readonly string[]): false | ((address: string, hop: number) => boolean) {
  if (trusted.length === 0) return false;
  const set = new CidrSet(trusted);
  return (address) => set.matches(address);
}
