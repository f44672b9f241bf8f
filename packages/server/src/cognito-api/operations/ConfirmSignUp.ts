import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { countAttempt } from '../../services/codes.ts';
import { countUnknownNameAttempt } from '../../services/existence.ts';
import { checkSecretHash, findUserBySignInName, requireClientAndPool } from '../../services/lookups.ts';
import { confirmUser } from '../../services/users.ts';
import { publicOperation } from '../operation.ts';

const CONFIRMS_PER_HOUR = 15;

// UNCONFIRMED -> CONFIRMED with the code SignUp (or ResendConfirmationCode)
// sent (services/users.ts confirmUser). Here: the user named, with the
// enumeration protection for a name that matches none, and the hourly cap.
export default publicOperation('ConfirmSignUp', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  const user = await findUserBySignInName(ctx.store, pool, input.Username);
  if (!user) {
    // Cognito's developer guide names no answer for an unknown user under
    // ENABLED; a wrong-code answer is what a real unconfirmed user gets for a guess.
    if (preventsUserExistenceErrors(client)) {
      // The same hourly cap a real account meets, or the sixteenth guess would tell them apart.
      await countUnknownNameAttempt(ctx, pool, 'ConfirmSignUp', input.Username, CONFIRMS_PER_HOUR);
      throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
    }
    throw Errors.UserNotFound('User does not exist.');
  }
  await countAttempt(ctx.store, ctx.clock, `ConfirmSignUp:${user.sub}`, CONFIRMS_PER_HOUR);
  await confirmUser(ctx, pool, user, {
    source: 'ConfirmSignUp',
    clientId: client.clientId,
    code: input.ConfirmationCode,
    forceAliasCreation: input.ForceAliasCreation ?? false,
  });
  return {};
});
