import { requirePool, requireUser } from '../../services/lookups.ts';
import { setPassword } from '../../services/users.ts';
import { operatorOperation } from '../operation.ts';

// Permanent: the user is CONFIRMED with this password; otherwise it is a
// temporary one and the user FORCE_CHANGE_PASSWORD (services/users.ts setPassword).
export default operatorOperation('AdminSetUserPassword', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await setPassword(ctx, pool, user, input.Password, { source: 'AdminSetUserPassword', given: input.Username, permanent: input.Permanent === true });
  return {};
});
