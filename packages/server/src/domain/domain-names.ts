import { Errors } from '../errors/cognito-error.ts';

// Names for user-pool domains. A prefix becomes
// `<prefix>.auth.<region>.amazoncognito.com`; a custom domain is a full host
// name the operator owns (DG cognito-user-pools-assign-domain.html).

export const PREFIX_PATTERN = '^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$';
const PREFIX = new RegExp(PREFIX_PATTERN);
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Cognito's answer to a prefix outside its pattern (quoted in mineiros-io/terraform-aws-cognito-user-pool#69). */
export function checkPrefix(prefix: string): void {
  if (!PREFIX.test(prefix)) {
    throw Errors.InvalidParameter(
      `The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ${PREFIX_PATTERN}`,
    );
  }
  // "You can't use the text aws, amazon, or cognito in the domain prefix"
  // (DG cognito-user-pools-assign-domain-prefix.html). The message is ours: Cognito's wording is unconfirmed.
  const reserved = ['aws', 'amazon', 'cognito'].find((word) => prefix.includes(word));
  if (reserved) throw Errors.InvalidParameter(`Domain cannot contain reserved word: ${reserved}`);
}

// A custom domain is matched by the Host header and then serves only its
// pool (oauth/domain-host.ts), so a name every pool's clients reach must not
// become one pool's: the host of --public-url, localhost and its subdomains
// (where <prefix>.localhost serves prefix domains), IP literals, and names
// under amazoncognito.com (where prefix domains live). Cognito's own answer
// for these is not documented: the wording is ours (unconfirmed).

/** The last label is a number (decimal, or 0x hex): browsers and the WHATWG URL parser read such a host as an IPv4 address. */
const ENDS_IN_NUMBER = /(^|\.)(\d+|0x[0-9a-f]*)\.?$/i;

/** Why `host` may not be a custom domain, or null when it may. `publicHost` is the hostname of --public-url. */
export function reservedHostReason(host: string, publicHost: string): string | null {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === publicHost.toLowerCase().replace(/\.$/, '')) return "it is the host of this server's public URL, which serves every user pool";
  if (name === 'localhost' || name.endsWith('.localhost')) return 'localhost and its subdomains serve every user pool';
  if (name.includes(':') || name.startsWith('[') || ENDS_IN_NUMBER.test(name)) return 'an IP address cannot be a custom domain';
  if (name === 'amazoncognito.com' || name.endsWith('.amazoncognito.com')) return 'names under amazoncognito.com are reserved for prefix domains';
  return null;
}

/** A custom domain: a fully qualified host name of at least two labels, not a reserved host. Wording ours (unconfirmed). */
export function checkCustomDomain(domain: string, publicHost: string): void {
  const reason = reservedHostReason(domain, publicHost);
  if (reason) throw Errors.InvalidParameter(`${domain} cannot be used as a custom domain: ${reason}.`);
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    throw Errors.InvalidParameter(`${domain} is not a valid custom domain name.`);
  }
}

/** Cognito's Version field: the time of the last change as yyyyMMddHHmmss (e.g. "20190128175402" in the CLI reference). */
export const domainVersion = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
