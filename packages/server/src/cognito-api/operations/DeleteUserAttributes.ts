import { attributesToDelete } from '../../domain/attribute-deletion.ts';
import { accessTokenOperation } from '../operation.ts';

// The signed-in user deletes their own attributes, within the client's
// WriteAttributes (domain/attribute-deletion.ts has the rules). A deleted
// email or phone number also loses its verified flag and any pending value.
export default accessTokenOperation('DeleteUserAttributes', async (input, ctx) => {
  const { user, pool, client } = ctx.caller;
  const names = attributesToDelete(pool, input.UserAttributeNames, { who: 'user', client });
  await ctx.store.transaction((tx) => tx.users.removeAttributes(user.sub, names, ctx.clock.now()));
  return {};
});
