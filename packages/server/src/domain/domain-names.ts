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

/** A custom domain: a fully qualified host name of at least two labels. Wording ours (unconfirmed). */
export function checkCustomDomain(domain: string): void {
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    throw Errors.InvalidParameter(`${domain} is not a valid custom domain name.`);
  }
}

/** Cognito's Version field: the time of the last change as yyyyMMddHHmmss (e.g. "20190128175402" in the CLI reference). */
export const domainVersion = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
