import type { GroupType } from '@aws-sdk/client-cognito-identity-provider';
import type { Group } from '../domain/group.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import { epochSeconds, type Wire } from '../domain/wire.ts';

// What the group operations share: loading a group with Cognito's error for
// its absence, and the GroupType wire shape.

/** Cognito's text for a missing group (seen in real responses, e.g. aws-amplify/amplify-cli#2214). */
export async function requireGroup(store: Store, poolId: string, name: string): Promise<Group> {
  const group = await store.groups.get(poolId, name);
  if (!group) throw Errors.ResourceNotFound('Group not found.');
  return group;
}

/** GroupType: absent optionals are left out, as Cognito leaves them out. */
export function describeGroup(group: Group): Wire<GroupType> {
  return {
    GroupName: group.name,
    UserPoolId: group.poolId,
    ...(group.description === null ? {} : { Description: group.description }),
    ...(group.roleArn === null ? {} : { RoleArn: group.roleArn }),
    ...(group.precedence === null ? {} : { Precedence: group.precedence }),
    LastModifiedDate: epochSeconds(group.updatedAt),
    CreationDate: epochSeconds(group.createdAt),
  };
}

/**
 * Page size for the group listings: the model allows Limit 0..60; like
 * ListUsers, 0 is refused and no Limit means the maximum, 60.
 */
export function pageLimit(limit: number | undefined): number {
  const n = limit ?? 60;
  if (n < 1)
    throw Errors.InvalidParameter(
      `1 validation error detected: Value '${n}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  return n;
}
