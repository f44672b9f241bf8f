import { checkCustomDomain, checkPrefix, domainVersion } from '../../domain/domain-names.ts';
import type { PoolDomainRecord } from '../../domain/oauth-config.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { requirePool } from '../../services/lookups.ts';
import { checkManagedLoginVersion } from '../domain-settings.ts';
import { operatorOperation } from '../operation.ts';

// A prefix domain, or with CustomDomainConfig a custom one. Names are global:
// one taken by any pool is "Domain already associated with another user
// pool." (InvalidParameterException, quoted in aws-samples/aws-cdk-examples#402).
// A pool has one domain of each kind.
//
// Cognate issues no certificates and runs no CloudFront distribution: the
// CertificateArn is stored and reported as given, and TLS for a custom domain
// is the operator's (a reverse proxy, or --tls-cert). CloudFrontDistribution
// names the host of --public-url, where the domain's DNS should point.
export default operatorOperation('CreateUserPoolDomain', async (input, ctx) => {
  const custom = input.CustomDomainConfig !== undefined;
  const domain = custom ? input.Domain.toLowerCase() : input.Domain;
  if (custom) checkCustomDomain(domain, new URL(ctx.config.publicUrl).hostname);
  else checkPrefix(domain);
  const managedLoginVersion = checkManagedLoginVersion(input.ManagedLoginVersion ?? 1);
  const now = ctx.clock.now();
  const record: PoolDomainRecord = {
    domain,
    poolId: input.UserPoolId,
    custom,
    managedLoginVersion,
    certificateArn: input.CustomDomainConfig?.CertificateArn ?? null,
    securityPolicy: input.CustomDomainConfig?.SecurityPolicy ?? null,
    cloudFrontDistribution: new URL(ctx.config.publicUrl).hostname,
    version: domainVersion(now),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    if (await tx.domains.byName(domain)) throw Errors.InvalidParameter('Domain already associated with another user pool.');
    // Wording ours (reported as "User Pool already has domain configured", aws-samples/websocket-chat-application#29).
    if ((await tx.domains.forPool(input.UserPoolId)).some((d) => d.custom === custom))
      throw Errors.InvalidParameter('User pool already has a domain configured.');
    if (!(await tx.domains.insert(record))) throw Errors.InvalidParameter('Domain already associated with another user pool.');
  });
  return { ManagedLoginVersion: managedLoginVersion, ...(custom ? { CloudFrontDomain: record.cloudFrontDistribution } : {}) };
});
