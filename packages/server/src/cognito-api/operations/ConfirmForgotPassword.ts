import { checkSecretHash, requireClientAndPool } from '../../services/lookups.ts';
import { resetPasswordWithCode } from '../../services/users.ts';
import { publicOperation } from '../operation.ts';

// Sets a new password with the code ForgotPassword sent (services/users.ts
// resetPasswordWithCode, with its enumeration protection and hourly cap).
export default publicOperation('ConfirmForgotPassword', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  await resetPasswordWithCode(ctx, pool, client, { given: input.Username, code: input.ConfirmationCode, password: input.Password });
  return {};
});
