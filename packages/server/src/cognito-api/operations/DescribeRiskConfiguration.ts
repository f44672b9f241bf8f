import type { RiskSettings } from '../../domain/risk-configuration.ts';
import { requireThreatProtection } from '../../services/auth-events.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import { epochSeconds } from '../../domain/wire.ts';

// The stored risk configuration of the pool, or of one app client: a client
// without its own gets the pool's, as a client-level configuration overrides
// the pool-level one in Cognito. Nothing stored: only the ids.
export default operatorOperation('DescribeRiskConfiguration', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  if (input.ClientId !== undefined) await requireClient(ctx.store, input.ClientId, pool.id);
  requireThreatProtection(pool);
  const row =
    (input.ClientId !== undefined ? await ctx.store.events.riskConfiguration(pool.id, input.ClientId) : null) ??
    (await ctx.store.events.riskConfiguration(pool.id, ''));
  const ids = { UserPoolId: pool.id, ...(input.ClientId !== undefined ? { ClientId: input.ClientId } : {}) };
  if (!row) return { RiskConfiguration: ids };
  return { RiskConfiguration: { ...ids, ...(JSON.parse(row.config) as RiskSettings), LastModifiedDate: epochSeconds(Number(row.updated_at)) } };
});
