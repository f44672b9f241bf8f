import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import { signUpCodeTarget } from '../../domain/pool-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { countAttempt } from '../../services/codes.ts';
import { noteAuthEvent } from '../../services/auth-events.ts';
import { codeMedium, sendCode, simulatedCodeDelivery } from '../../services/messages.ts';
import { planMessage } from '../../triggers/custom-message.ts';
import { countUnknownNameAttempt } from '../../services/existence.ts';
import { checkSecretHash, findUserBySignInName, requireClientAndPool } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';

const RESENDS_PER_HOUR = 5;

// A new sign-up code for an UNCONFIRMED user; the previous one stops working
// because only the newest code of a purpose is accepted. With
// PreventUserExistenceErrors ENABLED an unknown or disabled user gets a
// simulated delivery and no message (developer guide, "Managing user
// existence error responses"). With --hide-confirmed-accounts (off by
// default) so does a user already confirmed, beyond Cognito (issue 20):
// Cognito's InvalidParameterException "User is already confirmed." tells a
// caller the account exists and is confirmed; without the flag, or with
// LEGACY, Cognate answers it as Cognito does.
export default publicOperation('ResendConfirmationCode', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  const given = input.Username;
  checkSecretHash(client, given, input.SecretHash);
  const user = await findUserBySignInName(ctx.store, pool, given);
  const hide = preventsUserExistenceErrors(client);
  // The medium a user holding both an email and a phone number would get.
  const simulated = () =>
    simulatedCodeDelivery(ctx, pool, given, signUpCodeTarget(pool, { email: given, phone_number: given }) === 'phone_number' ? 'SMS' : 'EMAIL');
  if (!user) {
    if (hide) {
      // The same hourly cap a real account meets, or the sixth request would tell them apart.
      await countUnknownNameAttempt(ctx, pool, 'ResendConfirmationCode', given, RESENDS_PER_HOUR);
      return simulated();
    }
    throw Errors.UserNotFound('User does not exist.');
  }
  if (!user.enabled) {
    if (hide) {
      // The hourly cap an unknown name and an enabled account meet, or the sixth request would tell them apart.
      await countAttempt(ctx.store, ctx.clock, `ResendConfirmationCode:${user.sub}`, RESENDS_PER_HOUR);
      return simulated();
    }
    throw Errors.NotAuthorized('User is disabled.');
  }
  noteAuthEvent(ctx, user, 'ResendCode');
  if (user.status !== 'UNCONFIRMED') {
    // Cognito's answer, unless the operator opted into hiding confirmed accounts (--hide-confirmed-accounts) for clients that hide existence.
    if (!hide || !ctx.config.hideConfirmedAccounts) throw Errors.InvalidParameter('User is already confirmed.');
    // The answer and the hourly cap of an unknown name; no message.
    await countAttempt(ctx.store, ctx.clock, `ResendConfirmationCode:${user.sub}`, RESENDS_PER_HOUR);
    return simulated();
  }
  await countAttempt(ctx.store, ctx.clock, `ResendConfirmationCode:${user.sub}`, RESENDS_PER_HOUR);

  const target = signUpCodeTarget(pool, user.attributes);
  // Text not confirmed against Cognito: the pool verifies nothing, or the user has nothing to verify.
  if (!target) throw Errors.InvalidParameter('Auto verification not turned on.');
  const medium = codeMedium(user, target);
  const plan = await planMessage(ctx, pool, user, {
    kind: 'ResendCode',
    clientId: client.clientId,
    clientMetadata: input.ClientMetadata,
    mediums: medium ? [medium] : [],
  });
  const delivery = await ctx.store.transaction((tx) => sendCode(ctx, tx, pool, user, 'signup', target, plan));
  return { CodeDeliveryDetails: delivery! };
});
