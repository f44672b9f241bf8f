import { checkRiskSettings } from '../../domain/risk-configuration.ts';
import { requireThreatProtection } from '../../services/auth-events.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import { epochSeconds } from '../../domain/wire.ts';

// Stores the pool's (or, with ClientId, one app client's) threat-protection
// configuration, replacing the previous one whole. Validated and reported
// back by DescribeRiskConfiguration; NOT enforced: Cognate scores no risk,
// blocks nothing and sends no notification (domain/risk-configuration.ts).
export default operatorOperation('SetRiskConfiguration', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  if (input.ClientId !== undefined) await requireClient(ctx.store, input.ClientId, pool.id);
  requireThreatProtection(pool);
  const settings = checkRiskSettings(input);
  const now = ctx.clock.now();
  await ctx.store.events.putRiskConfiguration({ pool_id: pool.id, client_id: input.ClientId ?? '', config: JSON.stringify(settings), updated_at: now });
  return {
    RiskConfiguration: {
      UserPoolId: pool.id,
      ...(input.ClientId !== undefined ? { ClientId: input.ClientId } : {}),
      ...settings,
      LastModifiedDate: epochSeconds(now),
    },
  };
});
