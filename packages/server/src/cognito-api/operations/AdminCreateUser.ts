import { requirePool, requireUser } from '../../services/lookups.ts';
import { createUser, resendInvitation } from '../../services/users.ts';
import { validationDataOf } from '../../triggers/pre-sign-up.ts';
import { describeUser } from '../describe.ts';
import { operatorOperation } from '../operation.ts';

// An operator creates a user with a temporary password (given, or generated
// to the pool's policy) in FORCE_CHANGE_PASSWORD: the first sign-in answers
// NEW_PASSWORD_REQUIRED. The invitation carries the username and the password;
// SUPPRESS sends none, RESEND issues a new temporary password to a user who
// has not yet signed in. ValidationData and ClientMetadata only feed Lambda
// triggers (pre sign-up; CustomMessage and the custom senders).
// The work is services/users.ts's createUser and resendInvitation.
export default operatorOperation('AdminCreateUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  if (input.MessageAction === 'RESEND') {
    const user = await requireUser(ctx.store, pool, input.Username);
    const updated = await resendInvitation(ctx, pool, user, {
      username: input.Username,
      password: input.TemporaryPassword,
      mediums: input.DesiredDeliveryMediums,
      clientMetadata: input.ClientMetadata,
    });
    return { User: describeUser(updated) };
  }
  const { user } = await createUser(
    ctx,
    pool,
    {
      username: input.Username,
      attributes: input.UserAttributes,
      password: input.TemporaryPassword,
      forceAliasCreation: input.ForceAliasCreation ?? false,
      invite: input.MessageAction === 'SUPPRESS' ? false : { mediums: input.DesiredDeliveryMediums },
      validationData: validationDataOf(input.ValidationData),
      clientMetadata: input.ClientMetadata,
    },
    { source: 'AdminCreateUser' },
  );
  return { User: describeUser(user) };
});
