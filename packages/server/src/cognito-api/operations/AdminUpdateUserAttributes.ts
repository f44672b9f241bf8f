import { validateAttributes } from '../../domain/attributes.ts';
import { Errors } from '../../errors/cognito-error.ts';
import type { User } from '../../domain/user.ts';
import { type MessagePlan, planMessage } from '../../triggers/custom-message.ts';
import { sendCode } from '../../services/messages.ts';
import { requirePool, requireUser, signInNameHolders } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// An operator writes any mutable attribute, the *_verified flags included.
// A new email or phone number is unverified unless the same call sets its
// flag to true, and where the pool auto-verifies it a verification code goes
// to the new address, as Cognito does. With AttributesRequireVerificationBeforeUpdate
// the old value stays until the new one is verified. Sign-in names stay unique.
export default operatorOperation('AdminUpdateUserAttributes', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  const changes = validateAttributes(pool, input.UserAttributes, { who: 'operator', creating: false });

  const autoVerified = pool.settings.AutoVerifiedAttributes ?? [];
  const verifyFirst = pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const toVerify: { attr: 'email' | 'phone_number'; value: string }[] = [];
  const pending: Record<string, string> = {};
  const displaced: { attr: string; sub: string }[] = [];
  for (const attr of ['email', 'phone_number'] as const) {
    const flag = `${attr}_verified`;
    const value = changes[attr];
    if (value !== undefined && value !== user.attributes[attr]) {
      const holders = await signInNameHolders(ctx.store, pool, attr, value, user.sub);
      if (holders?.as === 'username' && holders.users.length) throw Errors.AliasExists(`An account with the given ${attr} already exists.`);
      if (changes[flag] !== 'true') {
        const verifies = autoVerified.includes(attr);
        if (verifies) toVerify.push({ attr, value });
        if (verifies && verifyFirst.includes(attr)) {
          pending[attr] = value;
          delete changes[attr];
          delete changes[flag];
        } else {
          changes[flag] = 'false';
        }
      }
    }
    // A verified alias moves to this user and the previous holder's copy becomes
    // unverified: what Cognito does here (boto/boto3#3213), so one alias never names two users.
    const finalValue = changes[attr] ?? user.attributes[attr];
    const verifiedNow = (changes[attr] !== undefined || changes[flag] === 'true') && (changes[flag] ?? user.attributes[flag]) === 'true';
    if (finalValue && verifiedNow) {
      const holders = await signInNameHolders(ctx.store, pool, attr, finalValue, user.sub);
      if (holders?.as === 'alias') displaced.push(...holders.users.map((u) => ({ attr, sub: u.sub })));
    }
  }

  const now = ctx.clock.now();
  const updated = { ...user, attributes: { ...user.attributes, ...changes }, updatedAt: now };
  // The codes' messages, shaped by the CustomMessage function before anything is written.
  const planned: { attr: 'email' | 'phone_number'; view: User; plan: MessagePlan }[] = [];
  for (const { attr, value } of toVerify) {
    const view = { ...updated, attributes: { ...updated.attributes, [attr]: value } };
    const medium = attr === 'email' ? ('EMAIL' as const) : ('SMS' as const);
    const plan = await planMessage(ctx, pool, view, { kind: 'UpdateUserAttribute', clientId: null, clientMetadata: input.ClientMetadata, mediums: [medium] });
    planned.push({ attr, view, plan });
  }
  await ctx.store.transaction(async (tx) => {
    await tx.users.setAttributes(pool.id, user.sub, changes);
    await tx.users.update(user.sub, {}, now);
    // A value written directly replaces one that was waiting for verification.
    await tx.users.clearPendingAttributes(
      user.sub,
      ['email', 'phone_number'].filter((a) => changes[a] !== undefined),
    );
    for (const [attr, value] of Object.entries(pending)) await tx.users.setPendingAttribute(pool.id, user.sub, attr, value);
    for (const { attr, sub } of displaced) await tx.users.setAttributes(pool.id, sub, { [`${attr}_verified`]: 'false' });
    for (const { attr, view, plan } of planned) await sendCode(ctx, tx, pool, view, `verify:${attr}`, attr, plan);
  });
  return {};
});
