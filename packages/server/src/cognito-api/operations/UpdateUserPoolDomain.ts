import { domainVersion } from '../../domain/domain-names.ts';
import { requirePool } from '../../services/lookups.ts';
import { checkManagedLoginVersion, noSuchDomain } from '../domain-settings.ts';
import { operatorOperation } from '../operation.ts';

// Changes the managed-login version, or a custom domain's certificate
// (stored as given: Cognate issues no certificates). Absent members keep
// their values. A CustomDomainConfig sent for a prefix domain has nothing to
// configure and is ignored.
export default operatorOperation('UpdateUserPoolDomain', async (input, ctx) => {
  return ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const domain = await tx.domains.byName(input.Domain);
    if (!domain || domain.poolId !== input.UserPoolId) throw noSuchDomain();
    const managedLoginVersion = checkManagedLoginVersion(input.ManagedLoginVersion ?? domain.managedLoginVersion);
    const now = ctx.clock.now();
    const cert = domain.custom ? input.CustomDomainConfig : undefined;
    const updated = {
      ...domain,
      managedLoginVersion,
      certificateArn: cert?.CertificateArn ?? domain.certificateArn,
      securityPolicy: cert ? (cert.SecurityPolicy ?? null) : domain.securityPolicy,
      version: domainVersion(now),
      updatedAt: now,
    };
    await tx.domains.update(updated);
    return { ManagedLoginVersion: managedLoginVersion, ...(domain.custom ? { CloudFrontDomain: domain.cloudFrontDistribution } : {}) };
  });
});
