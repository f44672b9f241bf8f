import type { ConfirmSignUpRequest } from '@aws-sdk/client-cognito-identity-provider';
import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import { signUpCodeTarget } from '../../domain/pool-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { checkCode, consumeCheckedCode, countAttempt } from '../../services/codes.ts';
import { countUnknownNameAttempt } from '../../services/existence.ts';
import { checkSecretHash, findUserBySignInName, requireClientAndPool, signInNameHolders } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

const CONFIRMS_PER_HOUR = 15;

// UNCONFIRMED -> CONFIRMED with the code SignUp (or ResendConfirmationCode)
// sent; the email or phone number it went to becomes verified in the same
// transaction. The code is checked outside the transaction so a wrong guess
// counts even though the call fails.
export default publicOperation<Wire<ConfirmSignUpRequest>>('ConfirmSignUp', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId!);
  checkSecretHash(client, input.Username!, input.SecretHash);
  const user = await findUserBySignInName(ctx.store, pool, input.Username!);
  if (!user) {
    // Cognito's developer guide names no answer for an unknown user under
    // ENABLED; a wrong-code answer is what a real unconfirmed user gets for a guess.
    if (preventsUserExistenceErrors(client)) {
      // The same hourly cap a real account meets, or the sixteenth guess would tell them apart.
      await countUnknownNameAttempt(ctx, pool, 'ConfirmSignUp', input.Username!, CONFIRMS_PER_HOUR);
      throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
    }
    throw Errors.UserNotFound('User does not exist.');
  }
  await countAttempt(ctx.store, ctx.clock, `ConfirmSignUp:${user.sub}`, CONFIRMS_PER_HOUR);
  if (user.status !== 'UNCONFIRMED') throw Errors.NotAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');

  // Another user already signing in with this email/phone: AliasExistsException,
  // unless ForceAliasCreation moves the alias to this user (the other loses it).
  const target = signUpCodeTarget(pool, user.attributes);
  const holders = target ? await signInNameHolders(ctx.store, pool, target, user.attributes[target]!, user.sub) : null;
  const taken = holders?.users.filter((u) => u.attributes[`${target}_verified`] === 'true') ?? [];
  if (taken.length && (!input.ForceAliasCreation || holders?.as === 'username')) {
    throw Errors.AliasExists(`An account with the given ${target} already exists.`);
  }

  const codeId = await checkCode(ctx.store, ctx, user, 'signup', input.ConfirmationCode!);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await consumeCheckedCode(tx, ctx.clock, codeId);
    await tx.users.update(user.sub, { status: 'CONFIRMED' }, now);
    if (target) {
      await tx.users.setAttributes(pool.id, user.sub, { [`${target}_verified`]: 'true' });
      for (const other of taken) await tx.users.setAttributes(pool.id, other.sub, { [`${target}_verified`]: 'false' });
    }
  });
  return {};
});
