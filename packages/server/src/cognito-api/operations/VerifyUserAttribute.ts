import { Errors } from '../../errors/cognito-error.ts';
import { checkCode, consumeCheckedCode, countAttempt } from '../../services/codes.ts';
import { signInNameHolders } from '../../services/lookups.ts';
import { accessTokenOperation } from '../operation.ts';

const VERIFICATIONS_PER_HOUR = 15;

// Marks the signed-in user's email or phone number verified with the code
// UpdateUserAttributes or GetUserAttributeVerificationCode sent. A value that
// was waiting for verification replaces the old one in the same transaction.
// The code is checked outside it, so a wrong guess counts even though the call fails.
export default accessTokenOperation('VerifyUserAttribute', async (input, ctx) => {
  const { user, pool } = ctx.caller;
  const attr = input.AttributeName;
  if (attr !== 'email' && attr !== 'phone_number') throw Errors.InvalidParameter(`Invalid attribute name: ${attr} cannot be verified.`);
  await countAttempt(ctx.store, ctx.clock, `VerifyUserAttribute:${user.sub}`, VERIFICATIONS_PER_HOUR);
  const pending = (await ctx.store.users.pendingAttributes(user.sub))[attr];
  const value = pending ?? user.attributes[attr];
  if (value === undefined) throw Errors.InvalidParameter(`User has no ${attr} to verify.`);
  // A verified value becomes a sign-in name; it must not be someone else's.
  const holders = await signInNameHolders(ctx.store, pool, attr, value, user.sub);
  if (holders?.users.length) throw Errors.AliasExists(`An account with the given ${attr} already exists.`);

  const codeId = await checkCode(ctx.store, ctx, user, `verify:${attr}`, input.Code);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await consumeCheckedCode(tx, ctx.clock, codeId);
    await tx.users.setAttributes(pool.id, user.sub, { [attr]: value, [`${attr}_verified`]: 'true' });
    await tx.users.clearPendingAttributes(user.sub, [attr]);
    await tx.users.update(user.sub, {}, now);
  });
  return {};
});
