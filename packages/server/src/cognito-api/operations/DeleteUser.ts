import { accessTokenOperation } from '../operation.ts';

// The signed-in user deletes their own account. Attributes, codes and token
// families go with the user row (foreign keys cascade, one statement), so
// every token the user held stops working at once.
export default accessTokenOperation('DeleteUser', async (_input, ctx) => {
  await ctx.store.users.delete(ctx.caller.user.sub);
  return {};
});
