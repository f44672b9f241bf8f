import type { UserPoolClientType, UserPoolType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import { poolArn } from '../domain/regions.ts';
import { attributeList, type User } from '../domain/user.ts';
import { epochSeconds, type Wire } from '../domain/wire.ts';

// Pools, clients and users as Describe*/Create*/List* report them.

export function describePool(pool: Pool, opts: { accountId: string; estimatedUsers: number }): Wire<UserPoolType> {
  // The MFA factors are GetUserPoolMfaConfig's to report, the session
  // configuration GetUserPoolSessionConfiguration's; DescribeUserPool has neither.
  const { MfaFactors: _factors, SessionConfiguration: _sessions, ...settings } = pool.settings;
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: poolArn(opts.accountId, pool.id),
    ...settings,
    EstimatedNumberOfUsers: opts.estimatedUsers,
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.updatedAt),
  };
}

export function describeClient(client: AppClient): Wire<UserPoolClientType> {
  // The SSO session setting is GetUserPoolClientSessionConfiguration's to report.
  const { SSOSession: _sso, ...settings } = client.settings;
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.clientId,
    ...(client.secret === null ? {} : { ClientSecret: client.secret }),
    ...settings,
    CreationDate: epochSeconds(client.createdAt),
    LastModifiedDate: epochSeconds(client.updatedAt),
  };
}

/** A user as ListUsers, ListUsersInGroup and AdminCreateUser report it; `allowed` narrows the attributes (ListUsers' AttributesToGet). */
export function describeUser(user: User, allowed?: (name: string) => boolean): Wire<UserType> {
  return {
    Username: user.username,
    Attributes: attributeList(user, allowed),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
