import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, requireClientAndPool } from '../../services/lookups.ts';
import { createUser } from '../../services/users.ts';
import { validationDataOf } from '../../triggers/pre-sign-up.ts';
import { publicOperation } from '../operation.ts';

// A user signs up through an app client: services/users.ts creates them
// UNCONFIRMED, or CONFIRMED when the pre sign-up trigger says so.
export default publicOperation('SignUp', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw Errors.NotAuthorized('SignUp is not permitted for this user pool');
  checkSecretHash(client, input.Username, input.SecretHash);
  const { user, delivery } = await createUser(
    ctx,
    pool,
    {
      username: input.Username,
      attributes: input.UserAttributes,
      password: input.Password,
      client,
      validationData: validationDataOf(input.ValidationData),
      clientMetadata: input.ClientMetadata,
    },
    { source: 'SignUp' },
  );
  return { UserConfirmed: user.status === 'CONFIRMED', UserSub: user.sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
});
