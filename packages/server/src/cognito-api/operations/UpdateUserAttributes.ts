import { validateAttributes } from '../../domain/attributes.ts';
import type { CodeDeliveryDetails } from '../../domain/masking.ts';
import { Errors } from '../../errors/cognito-error.ts';
import type { User } from '../../domain/user.ts';
import { type MessagePlan, planMessage } from '../../triggers/custom-message.ts';
import { sendCode } from '../../services/messages.ts';
import { signInNameHolders } from '../../services/lookups.ts';
import { accessTokenOperation } from '../operation.ts';

const CONTACTS = ['email', 'phone_number'] as const;

// The signed-in user changes their own attributes, within the client's
// WriteAttributes. A new email or phone number is unverified: where the pool
// auto-verifies it a code goes to the new value. Where the pool's
// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate names
// it ("keep original attribute value when an update is pending"), the old,
// verified value stays in force and the new one waits, stored apart, until
// VerifyUserAttribute confirms it.
export default accessTokenOperation('UpdateUserAttributes', async (input, ctx) => {
  const { user, pool, client } = ctx.caller;
  const attrs = validateAttributes(pool, input.UserAttributes, { who: 'user', creating: false, client });
  if ('email_verified' in attrs || 'phone_number_verified' in attrs) throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');

  const autoVerified = pool.settings.AutoVerifiedAttributes ?? [];
  const waitForVerification = pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const pending: Record<string, string> = {};
  const unchanged: string[] = [];
  for (const attr of CONTACTS) {
    const value = attrs[attr];
    if (value === undefined) continue;
    if (value === user.attributes[attr]) {
      // Setting the current value again drops any change still waiting.
      unchanged.push(attr);
      delete attrs[attr];
      continue;
    }
    // Where the attribute is the sign-in name, nobody else may hold it.
    const holders = await signInNameHolders(ctx.store, pool, attr, value, user.sub);
    if (holders?.as === 'username' && holders.users.length) throw Errors.AliasExists(`An account with the given ${attr} already exists.`);
    // Cognito accepts this setting only for auto-verified attributes: a code goes out.
    if (waitForVerification.includes(attr) && autoVerified.includes(attr)) {
      pending[attr] = value;
      delete attrs[attr];
    } else {
      attrs[`${attr}_verified`] = 'false';
    }
  }

  // The codes' messages, shaped by the CustomMessage function before anything is written.
  const toVerify: { attr: (typeof CONTACTS)[number]; view: User; plan: MessagePlan }[] = [];
  for (const attr of CONTACTS) {
    const to = pending[attr] ?? attrs[attr];
    if (to === undefined || !autoVerified.includes(attr)) continue;
    const view = { ...user, attributes: { ...user.attributes, [attr]: to } };
    const medium = attr === 'email' ? ('EMAIL' as const) : ('SMS' as const);
    const plan = await planMessage(ctx, pool, view, {
      kind: 'UpdateUserAttribute',
      clientId: client.clientId,
      clientMetadata: input.ClientMetadata,
      mediums: [medium],
    });
    toVerify.push({ attr, view, plan });
  }

  const now = ctx.clock.now();
  const deliveries = await ctx.store.transaction(async (tx) => {
    await tx.users.setAttributes(pool.id, user.sub, attrs);
    // A value written directly, or the current value again, replaces one that was waiting.
    await tx.users.clearPendingAttributes(user.sub, [...unchanged, ...CONTACTS.filter((a) => a in attrs)]);
    for (const [attr, value] of Object.entries(pending)) await tx.users.setPendingAttribute(pool.id, user.sub, attr, value);
    await tx.users.update(user.sub, {}, now);
    const sent: CodeDeliveryDetails[] = [];
    for (const { attr, view, plan } of toVerify) {
      const delivery = await sendCode(ctx, tx, pool, view, `verify:${attr}`, attr, plan);
      if (delivery) sent.push(delivery);
    }
    return sent;
  });
  return deliveries.length ? { CodeDeliveryDetailsList: deliveries } : {};
});
