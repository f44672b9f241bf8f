import { requirePool } from '../../services/lookups.ts';
import { MAX_ARCHIVE_RETENTION_DAYS, MIN_ARCHIVE_RETENTION_DAYS } from '../../services/lifecycle.ts';
import { cognateOperation } from '../operation.ts';
import { UserPoolIdField } from '../schema.ts';

// How long archived users are kept before the purge job deletes them.
const schema = {
  UserPoolId: UserPoolIdField,
  ArchiveRetentionDays: { type: 'integer', required: true, min: MIN_ARCHIVE_RETENTION_DAYS, max: MAX_ARCHIVE_RETENTION_DAYS },
} as const;

export default cognateOperation('SetUserPoolLifecycleConfiguration', schema, async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  await ctx.store.lifecycle.setRetentionDays(pool.id, input.ArchiveRetentionDays, ctx.clock.now());
  return { UserPoolId: pool.id, ArchiveRetentionDays: input.ArchiveRetentionDays };
});
