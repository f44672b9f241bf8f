import { requirePool, requireUser } from '../../services/lookups.ts';
import { confirmUser } from '../../services/users.ts';
import { operatorOperation } from '../operation.ts';

// UNCONFIRMED -> CONFIRMED without a code. Unlike ConfirmSignUp it does not
// mark the email or phone verified: Cognito leaves *_verified as it was.
export default operatorOperation('AdminConfirmSignUp', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await confirmUser(ctx, pool, user, { source: 'AdminConfirmSignUp' });
  return {};
});
