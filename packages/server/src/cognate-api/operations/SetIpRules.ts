import { cognateOperation } from '../operation.ts';
import { CidrListField, checkCidrs, ruleTarget, targetSchema } from '../ip-rules.ts';

// Replaces the IP allow and deny lists of a user pool, or of one of its app
// clients when ClientId is given. Both lists empty (or absent) removes the
// rules. The server's own lists (--ip-allow, --ip-deny) apply on top.
const schema = { ...targetSchema, AllowCidrs: CidrListField, DenyCidrs: CidrListField } as const;

export default cognateOperation('SetIpRules', schema, async (input, ctx) => {
  const allow = checkCidrs('AllowCidrs', input.AllowCidrs ?? []);
  const deny = checkCidrs('DenyCidrs', input.DenyCidrs ?? []);
  const target = await ruleTarget(ctx.store, input.UserPoolId, input.ClientId);
  if (allow.length === 0 && deny.length === 0) await ctx.store.protection.deleteIpRules(target.targetId);
  else
    await ctx.store.protection.setIpRules({
      target_id: target.targetId,
      kind: target.kind,
      pool_id: target.poolId,
      allow_cidrs: JSON.stringify(allow),
      deny_cidrs: JSON.stringify(deny),
      updated_at: ctx.clock.now(),
    });
  return { UserPoolId: target.poolId, ...(input.ClientId !== undefined ? { ClientId: target.targetId } : {}), AllowCidrs: allow, DenyCidrs: deny };
});
