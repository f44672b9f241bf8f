import { cognateOperation } from '../operation.ts';
import { ruleTarget, targetSchema } from '../ip-rules.ts';

// The IP allow and deny lists of a user pool, or of one app client; empty lists when none are set.
export default cognateOperation('GetIpRules', targetSchema, async (input, ctx) => {
  const target = await ruleTarget(ctx.store, input.UserPoolId, input.ClientId);
  const [row] = await ctx.store.protection.ipRules([target.targetId]);
  return {
    UserPoolId: target.poolId,
    ...(input.ClientId !== undefined ? { ClientId: target.targetId } : {}),
    AllowCidrs: row ? (JSON.parse(row.allow_cidrs) as string[]) : [],
    DenyCidrs: row ? (JSON.parse(row.deny_cidrs) as string[]) : [],
  };
});
