import { Errors } from '../../errors/cognito-error.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Deletes the pool and everything of it (clients, secrets, keys, users,
// codes, sessions, challenges, queued mail...) in one transaction, unless
// deletion protection is on (text quoted from the AWS CLI in
// localstack/localstack#11947).
export default operatorOperation('DeleteUserPool', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    if (pool.settings.DeletionProtection === 'ACTIVE') {
      throw Errors.InvalidParameter('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
    }
    await tx.pools.deletePool(pool.id);
  });
  return {};
});
