import { withCustomAttributes } from '../../domain/schema.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Appends custom attributes to the schema: `custom:<name>`, or
// `dev:custom:<name>` for developer-only ones (written only by operators).
// All or nothing: one bad attribute refuses the whole request.
export default operatorOperation('AddCustomAttributes', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const SchemaAttributes = withCustomAttributes(pool.settings.SchemaAttributes ?? [], input.CustomAttributes);
    await tx.pools.updatePool({ ...pool, settings: { ...pool.settings, SchemaAttributes }, updatedAt: ctx.clock.now() });
  });
  return {};
});
