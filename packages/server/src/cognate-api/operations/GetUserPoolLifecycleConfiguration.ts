import { requirePool } from '../../services/lookups.ts';
import { archiveRetentionDays } from '../../services/lifecycle.ts';
import { cognateOperation } from '../operation.ts';
import { UserPoolIdField } from '../schema.ts';

// The pool's lifecycle settings, defaults included (ArchiveRetentionDays 365 until set).
export default cognateOperation('GetUserPoolLifecycleConfiguration', { UserPoolId: UserPoolIdField }, async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  return { UserPoolId: pool.id, ArchiveRetentionDays: await archiveRetentionDays(ctx.store, pool.id) };
});
