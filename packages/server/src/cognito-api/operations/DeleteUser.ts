import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// The signed-in user deletes their own account. Attributes, codes and token
// families go with the user row (foreign keys cascade, one statement), so
// every token the user held stops working at once.
export default accessTokenOperation<Wire<DeleteUserRequest>>('DeleteUser', async (_input, ctx) => {
  await ctx.store.users.delete(ctx.caller.user.sub);
  return {};
});
