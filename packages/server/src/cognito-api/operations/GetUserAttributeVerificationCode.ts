import { Errors } from '../../errors/cognito-error.ts';
import { countAttempt } from '../../services/codes.ts';
import { sendCode } from '../../services/messages.ts';
import { planMessage } from '../../triggers/custom-message.ts';
import { accessTokenOperation } from '../operation.ts';

const REQUESTS_PER_HOUR = 5;

// Sends the signed-in user a code to verify their email or phone number: to
// the value waiting for verification when UpdateUserAttributes left one
// pending, else to the current value. Only the newest code works.
export default accessTokenOperation('GetUserAttributeVerificationCode', async (input, ctx) => {
  const { user, pool } = ctx.caller;
  const attr = input.AttributeName;
  // The texts of these two refusals are ours: no Cognito response was found.
  if (attr !== 'email' && attr !== 'phone_number') throw Errors.InvalidParameter(`Invalid attribute name: ${attr} cannot be verified.`);
  const value = (await ctx.store.users.pendingAttributes(user.sub))[attr] ?? user.attributes[attr];
  if (value === undefined) throw Errors.InvalidParameter(`User has no ${attr} to verify.`);
  await countAttempt(ctx.store, ctx.clock, `GetUserAttributeVerificationCode:${user.sub}`, REQUESTS_PER_HOUR);
  const view = { ...user, attributes: { ...user.attributes, [attr]: value } };
  const plan = await planMessage(ctx, pool, view, {
    kind: 'VerifyUserAttribute',
    clientId: ctx.caller.client.clientId,
    clientMetadata: input.ClientMetadata,
    mediums: [attr === 'email' ? 'EMAIL' : 'SMS'],
  });
  const delivery = await ctx.store.transaction((tx) => sendCode(ctx, tx, pool, view, `verify:${attr}`, attr, plan));
  return { CodeDeliveryDetails: delivery! };
});
