import { requirePool, requireUser } from '../../services/lookups.ts';
import { archiveUser } from '../../services/lifecycle.ts';
import { cognateOperation } from '../operation.ts';
import { UsernameField, UserPoolIdField } from '../schema.ts';

// ARCHIVED: kept but unusable, all sessions revoked, hidden from ListUsers,
// purged after the pool's ArchiveRetentionDays. An archived user cannot be
// archived again (UnsupportedUserStateException).
export default cognateOperation('AdminArchiveUser', { UserPoolId: UserPoolIdField, Username: UsernameField }, async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await archiveUser(ctx.store, ctx.clock, user);
  return {};
});
