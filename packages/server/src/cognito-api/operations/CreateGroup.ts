import { MAX_GROUPS_PER_POOL, type Group } from '../../domain/group.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { describeGroup } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// The count and the insert share one transaction, so concurrent creates
// cannot pass the pool's group quota together; a duplicate name is detected
// by the insert itself (primary key), not by an earlier read that could race.
export default operatorOperation('CreateGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const now = ctx.clock.now();
  const group: Group = {
    poolId: pool.id,
    name: input.GroupName,
    description: input.Description ?? null,
    roleArn: input.RoleArn ?? null,
    precedence: input.Precedence ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    if (await tx.groups.get(pool.id, group.name)) throw Errors.GroupExists(`A group with the name ${group.name} already exists.`);
    if ((await tx.groups.count(pool.id)) >= MAX_GROUPS_PER_POOL) {
      throw Errors.LimitExceeded(`The user pool already has the maximum number of groups (${MAX_GROUPS_PER_POOL}).`);
    }
    if (!(await tx.groups.insert(group))) throw Errors.GroupExists(`A group with the name ${group.name} already exists.`);
  });
  return { Group: describeGroup(group) };
});
