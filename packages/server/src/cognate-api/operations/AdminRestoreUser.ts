import { requirePool, requireUser } from '../../services/lookups.ts';
import { restoreUser } from '../../services/lifecycle.ts';
import { cognateOperation } from '../operation.ts';
import { UsernameField, UserPoolIdField } from '../schema.ts';

// Back to the status the user had when archived, which the answer names.
// Sessions revoked by the archive stay revoked: the user signs in again.
export default cognateOperation('AdminRestoreUser', { UserPoolId: UserPoolIdField, Username: UsernameField }, async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  return { UserStatus: await restoreUser(ctx.store, ctx.clock, user) };
});
