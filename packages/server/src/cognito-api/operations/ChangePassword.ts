import { changePassword } from '../../services/users.ts';
import { accessTokenOperation } from '../operation.ts';

// The signed-in user replaces their password, proving the previous one
// (services/users.ts changePassword: a wrong one counts for the lockout).
export default accessTokenOperation('ChangePassword', async (input, ctx) => {
  const { user, pool } = ctx.caller;
  await changePassword(ctx, pool, user, { previous: input.PreviousPassword, proposed: input.ProposedPassword });
  return {};
});
