import type { SignUpRequest } from '@aws-sdk/client-cognito-identity-provider';
import { assertRequiredPresent, validateAttributes } from '../../domain/attributes.ts';
import { newUser, resolveNewUsername } from '../../domain/new-user.ts';
import { signUpCodeTarget } from '../../domain/pool-settings.ts';
import { assertNewPassword } from '../../services/password-rules.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { noteAuthEvent } from '../../services/auth-events.ts';
import { sendCode } from '../../services/messages.ts';
import { passwordMaterial } from '../../services/password-material.ts';
import { checkSecretHash, requireClientAndPool, usernameKey } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';
import type { Store } from '../../store/store.ts';
import type { Wire } from '../../domain/wire.ts';

export default publicOperation<Wire<SignUpRequest>>('SignUp', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId!);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw Errors.NotAuthorized('SignUp is not permitted for this user pool');
  const given = input.Username!;
  checkSecretHash(client, given, input.SecretHash);

  const attrs = validateAttributes(pool, input.UserAttributes, { who: 'user', creating: true, client });
  if ('email_verified' in attrs || 'phone_number_verified' in attrs) throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');

  const sub = ctx.ids.uuid();
  const { username, signInAttribute } = resolveNewUsername(pool, given, sub);
  Object.assign(attrs, signInAttribute);
  assertRequiredPresent(pool, attrs);

  if (!input.Password) throw Errors.InvalidParameter('Password is required for this user pool.');
  await assertNewPassword(ctx.store, pool, input.Password, { usernames: [username, given], attributes: attrs });

  // Checked before the slow hashing (a quick answer for the common case) and
  // again inside the transaction, where concurrent sign-ups are serialized.
  const assertNameFree = async (store: Store) => {
    if (await store.users.byUsername(pool.id, usernameKey(pool, username))) throw Errors.UsernameExists('User already exists');
    for (const [attr, value] of Object.entries(signInAttribute)) {
      if ((await store.users.byAttribute(pool.id, attr, value)).length) throw Errors.UsernameExists(`An account with the given ${attr} already exists.`);
    }
  };
  await assertNameFree(ctx.store);

  const material = await passwordMaterial(ctx.master, pool, { sub, username }, input.Password);
  const now = ctx.clock.now();
  const user = newUser({ sub, poolId: pool.id, username, status: 'UNCONFIRMED', ...material, now, attributes: attrs });
  const target = signUpCodeTarget(pool, attrs);
  noteAuthEvent(ctx, user, 'SignUp');

  const delivery = await ctx.store.transaction(async (tx) => {
    await assertNameFree(tx);
    await tx.users.insert(user, usernameKey(pool, username));
    return target ? sendCode(ctx, tx, pool, user, 'signup', target) : null;
  });
  return { UserConfirmed: false, UserSub: sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
});
