import type { GroupPatch } from '../../domain/group.ts';
import { describeGroup, requireGroup } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// "Given the name of a user pool group, updates any of the properties for
// precedence, IAM role, or description" (API reference): members left out of
// the request keep their values. Members' tokens show the change from their
// next issue (sign-in or refresh); tokens already issued are not touched.
export default operatorOperation('UpdateGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const group = await requireGroup(ctx.store, pool.id, input.GroupName);
  const patch: GroupPatch = {};
  if (input.Description !== undefined) patch.description = input.Description;
  if (input.RoleArn !== undefined) patch.roleArn = input.RoleArn;
  if (input.Precedence !== undefined) patch.precedence = input.Precedence;
  const now = ctx.clock.now();
  await ctx.store.groups.update(pool.id, group.name, patch, now);
  return { Group: describeGroup({ ...group, ...patch, updatedAt: now }) };
});
