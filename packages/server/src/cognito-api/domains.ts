import type { CustomDomainConfigType, DomainDescriptionType, SecurityPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import type { PoolDomainRecord } from '../domain/oauth-config.ts';
import type { Wire } from '../domain/wire.ts';

/**
 * No S3 bucket holds Cognate's hosted pages; the field is kept (tools such as
 * Terraform read it as a computed attribute) with a name that says so.
 */
const ASSETS_BUCKET = 'cognate-hosted-ui-assets';

/** DescribeUserPoolDomain's DomainDescription, as the CLI reference's example shows it (CustomDomainConfig `{}` for a prefix domain). */
export function describeDomain(d: PoolDomainRecord, accountId: string): Wire<DomainDescriptionType> {
  return {
    UserPoolId: d.poolId,
    AWSAccountId: accountId,
    Domain: d.domain,
    S3Bucket: ASSETS_BUCKET,
    CloudFrontDistribution: d.cloudFrontDistribution,
    Version: d.version,
    Status: 'ACTIVE',
    ManagedLoginVersion: d.managedLoginVersion,
    CustomDomainConfig: customConfig(d),
  };
}

// The SDK types CertificateArn as required; Cognito still sends `{}` for a prefix domain.
const customConfig = (d: PoolDomainRecord): Wire<CustomDomainConfigType> =>
  d.certificateArn === null
    ? ({} as Wire<CustomDomainConfigType>)
    : { CertificateArn: d.certificateArn, ...(d.securityPolicy ? { SecurityPolicy: d.securityPolicy as SecurityPolicyType } : {}) };
