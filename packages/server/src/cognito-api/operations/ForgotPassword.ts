import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import type { Pool } from '../../domain/pool-settings.ts';
import type { User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { countAttempt } from '../../services/codes.ts';
import { noteAuthEvent } from '../../services/auth-events.ts';
import { codeMedium, sendCode, simulatedCodeDelivery } from '../../services/messages.ts';
import { planMessage } from '../../triggers/custom-message.ts';
import { countUnknownNameAttempt } from '../../services/existence.ts';
import { checkSecretHash, findUserBySignInName, requireClientAndPool } from '../../services/lookups.ts';
import { metadataOf } from '../../triggers/run-trigger.ts';
import { migrateForReset } from '../../triggers/user-migration.ts';
import { publicOperation } from '../operation.ts';

const REQUESTS_PER_HOUR = 5;
type Contact = 'email' | 'phone_number';

/**
 * The verified contacts a reset code may go to, best first, from the pool's
 * AccountRecoverySetting. Without one, Cognito's older rule applies: a
 * verified phone number before a verified email. `admin_only` allows none.
 */
function recoveryOrder(pool: Pool): Contact[] {
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms;
  if (!mechanisms?.length) return ['phone_number', 'email'];
  return [...mechanisms]
    .sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0))
    .flatMap((m): Contact[] => (m.Name === 'verified_email' ? ['email'] : m.Name === 'verified_phone_number' ? ['phone_number'] : []));
}

export const recoveryContact = (pool: Pool, user: User): Contact | undefined =>
  recoveryOrder(pool).find((c) => user.attributes[c] !== undefined && user.attributes[`${c}_verified`] === 'true');

// Sends a one-hour password-reset code to the user's best verified contact.
// With PreventUserExistenceErrors ENABLED, an unknown or disabled user, or one
// without a verified contact, gets a simulated delivery and no message
// (developer guide, "Managing user existence error responses").
export default publicOperation('ForgotPassword', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  const given = input.Username;
  checkSecretHash(client, given, input.SecretHash);
  let user = await findUserBySignInName(ctx.store, pool, given);
  const hide = preventsUserExistenceErrors(client);
  if (!user) {
    // The pool's UserMigration function may know the name (UserMigration_ForgotPassword); the user it makes gets the code.
    const migrated = await migrateForReset(ctx, pool, client, given, metadataOf(input.ClientMetadata));
    if (migrated === 'declined' && !hide) throw Errors.UserNotFound(`Exception migrating user in app client ${client.clientId}`);
    if (migrated !== null && migrated !== 'declined') user = migrated;
  }
  const simulated = () => simulatedCodeDelivery(ctx, pool, given, recoveryOrder(pool)[0] === 'phone_number' ? 'SMS' : 'EMAIL');
  // A real account answered with a simulated delivery still meets its hourly cap, as an unknown name and a deliverable account do.
  const simulatedForUser = async (sub: string) => {
    await countAttempt(ctx.store, ctx.clock, `ForgotPassword:${sub}`, REQUESTS_PER_HOUR);
    return simulated();
  };
  if (!user) {
    if (hide) {
      // The same hourly cap a real account meets, or the sixth request would tell them apart.
      await countUnknownNameAttempt(ctx, pool, 'ForgotPassword', given, REQUESTS_PER_HOUR);
      return simulated();
    }
    throw Errors.UserNotFound('User does not exist.');
  }
  // An archived account is unusable until restored: answered as a disabled one (services/lifecycle.ts).
  if (!user.enabled || user.status === 'ARCHIVED') {
    if (hide) return simulatedForUser(user.sub);
    throw Errors.NotAuthorized('User is disabled.');
  }
  noteAuthEvent(ctx, user, 'ForgotPassword');
  // An invited user who never signed in has only the temporary password (Cognito's wording).
  // Under ENABLED it is answered as an unknown user is: the error would confirm the account (Cognate's choice).
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (hide) return simulatedForUser(user.sub);
    throw Errors.NotAuthorized('User password cannot be reset in the current state.');
  }
  const contact = recoveryContact(pool, user);
  if (!contact) {
    if (hide) return simulatedForUser(user.sub);
    throw Errors.InvalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  }
  await countAttempt(ctx.store, ctx.clock, `ForgotPassword:${user.sub}`, REQUESTS_PER_HOUR);
  const medium = codeMedium(user, contact);
  const plan = await planMessage(ctx, pool, user, {
    kind: 'ForgotPassword',
    clientId: client.clientId,
    clientMetadata: input.ClientMetadata,
    mediums: medium ? [medium] : [],
  });
  const delivery = await ctx.store.transaction((tx) => sendCode(ctx, tx, pool, user, 'forgot-password', contact, plan));
  return { CodeDeliveryDetails: delivery! };
});
