import { attributesToDelete } from '../../domain/attribute-deletion.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// An operator deletes attributes of a user (domain/attribute-deletion.ts has
// the rules). A deleted email or phone number also loses its verified flag and
// any new value still waiting for verification, in one transaction.
export default operatorOperation('AdminDeleteUserAttributes', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  const names = attributesToDelete(pool, input.UserAttributeNames, { who: 'operator' });
  await ctx.store.transaction((tx) => tx.users.removeAttributes(user.sub, names, ctx.clock.now()));
  return {};
});
