import { hashPassword } from '../../crypto/passwords.ts';
import { validateAttributes, assertRequiredPresent } from '../../domain/attributes.ts';
import { assertPasswordConforms } from '../../domain/password-policy.ts';
import { passwordPolicyOf } from '../../domain/pool-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash } from '../../cognito-api/lookups.ts';
import { takeChallenge } from '../../services/challenges.ts';
import { afterFirstFactor } from '../../services/sign-in.ts';
import type { ChallengeHandler } from '../flow.ts';

// NEW_PASSWORD_REQUIRED: a FORCE_CHANGE_PASSWORD user answers with a new
// password and any required attributes still missing (`userAttributes.<name>`);
// the user becomes CONFIRMED and the sign-in completes.
const newPasswordRequired: ChallengeHandler = {
  name: 'NEW_PASSWORD_REQUIRED',
  async respond(responses, session, { ctx, pool, client }) {
    const username = responses['USERNAME'];
    const password = responses['NEW_PASSWORD'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    if (!password) throw Errors.InvalidParameter('Missing required parameter NEW_PASSWORD');
    assertPasswordConforms(passwordPolicyOf(pool), password);
    const attrInput = Object.entries(responses)
      .filter(([k]) => k.startsWith('userAttributes.'))
      .map(([k, v]) => ({ Name: k.slice('userAttributes.'.length), Value: v }));
    const attrs = validateAttributes(pool, attrInput, { who: 'user', creating: false, client });
    const hash = await hashPassword(password);

    const row = await takeChallenge(ctx.store, ctx.clock, session, client, 'NEW_PASSWORD_REQUIRED');
    const user = row.sub ? await ctx.store.users.bySub(row.sub) : null;
    if (!user || (user.username !== username && !Object.values(user.attributes).includes(username))) {
      throw Errors.NotAuthorized('Invalid session for the user.');
    }
    if (user.status !== 'FORCE_CHANGE_PASSWORD') throw Errors.NotAuthorized('Invalid session for the user.');
    assertRequiredPresent(pool, { ...user.attributes, ...attrs });
    const now = ctx.clock.now();
    const updated = { ...user, status: 'CONFIRMED' as const, passwordHash: hash, attributes: { ...user.attributes, ...attrs } };
    return ctx.store.transaction(async (tx) => {
      await tx.users.update(user.sub, { status: 'CONFIRMED', passwordHash: hash, passwordChangedAt: now, tempPasswordExpiresAt: null }, now);
      await tx.users.setAttributes(pool.id, user.sub, attrs);
      return afterFirstFactor({ ...ctx, store: tx }, pool, client, updated);
    });
  },
};
export default newPasswordRequired;
