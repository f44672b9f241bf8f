import { authFactorsOf } from '../../services/passwordless.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// GetUserAuthFactors for any user of the pool, named by username, alias or sub.
// (Newer than the botocore model Cognate was extracted from: its operation and
// two shapes were added to model/cognito-idp.json from the AWS SDK's model.)
export default operatorOperation('AdminGetUserAuthFactors', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  return authFactorsOf(ctx, pool, user);
});
