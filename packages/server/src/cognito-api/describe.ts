import type { UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import { epochSeconds, type Wire } from './wire.ts';

// Pools and clients as Describe*/Create* report them.

export const poolArn = (region: string, accountId: string, poolId: string): string => `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;

export function describePool(pool: Pool, opts: { region: string; accountId: string; estimatedUsers: number }): Wire<UserPoolType> {
  // The MFA factors are GetUserPoolMfaConfig's to report, not DescribeUserPool's.
  const { MfaFactors: _factors, ...settings } = pool.settings;
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: poolArn(opts.region, opts.accountId, pool.id),
    ...settings,
    EstimatedNumberOfUsers: opts.estimatedUsers,
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.updatedAt),
  };
}

export function describeClient(client: AppClient): Wire<UserPoolClientType> {
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.clientId,
    ...(client.secret === null ? {} : { ClientSecret: client.secret }),
    ...client.settings,
    CreationDate: epochSeconds(client.createdAt),
    LastModifiedDate: epochSeconds(client.updatedAt),
  };
}
