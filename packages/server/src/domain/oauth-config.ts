// The configuration the OAuth endpoints and managed-login pages read: a
// pool's domains, its resource servers (custom scopes), the classic hosted
// UI's customization, managed-login branding styles and terms documents.
// Plain data; the stores in store/ load and save them.

/** A user-pool domain: a prefix (`<prefix>.auth.<region>.amazoncognito.com`) or a custom domain. Names are lower-case. */
export interface PoolDomain {
  domain: string;
  poolId: string;
  custom: boolean;
  /** 1 = classic hosted UI, 2 = managed login (CreateUserPoolDomain's ManagedLoginVersion). */
  managedLoginVersion: number;
  createdAt: number;
}

/** What DescribeUserPoolDomain reports beyond PoolDomain. */
export interface PoolDomainRecord extends PoolDomain {
  certificateArn: string | null;
  securityPolicy: string | null;
  cloudFrontDistribution: string;
  version: string;
  updatedAt: number;
}

export interface ResourceServerScope {
  ScopeName: string;
  ScopeDescription: string;
}

export interface ResourceServer {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScope[];
}

/** Classic hosted-UI customization of one client, or of the whole pool when clientId is 'ALL'. */
export interface UiCustomization {
  poolId: string;
  clientId: string /* 'ALL' or id */;
  css: string | null;
  imageFile: Buffer | null;
  imageType: string | null;
  lastModified: number;
  creationDate: number;
}

/** The clientId of a pool-wide UI customization (SetUICustomization without ClientId). */
export const ALL_CLIENTS = 'ALL';

export interface BrandingAsset {
  Category: string;
  ColorMode: string;
  Extension: string;
  /** Base64, as on the wire. */
  Bytes?: string;
  ResourceId?: string;
}

export interface ManagedLoginBranding {
  id: string;
  poolId: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  /** The Settings JSON document as given; null with UseCognitoProvidedValues. */
  settings: Record<string, unknown> | null;
  assets: BrandingAsset[];
  createdAt: number;
  updatedAt: number;
}

export interface TermsDocument {
  id: string;
  poolId: string;
  clientId: string;
  name: 'terms-of-use' | 'privacy-policy';
  source: string;
  enforcement: string;
  links: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** Scopes every app client may be given without a resource server (DG authorization-endpoint.html). */
export const RESERVED_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'] as const;
