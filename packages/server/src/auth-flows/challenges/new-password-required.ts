import { validateAttributes } from '../../domain/attributes.ts';
import { assertNewPassword } from '../../services/password-rules.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName, signInNameHolders } from '../../services/lookups.ts';
import { peekChallenge, takeChallenge } from '../../services/challenges.ts';
import { assertNotRecentlyUsed } from '../../services/password-history.ts';
import { passwordMaterial, type PasswordMaterial } from '../../services/password-material.ts';
import { afterFirstFactor } from '../../services/sign-in.ts';
import type { ChallengeHandler } from '../flow.ts';

// NEW_PASSWORD_REQUIRED: a FORCE_CHANGE_PASSWORD user answers with a new
// password and the required attributes still missing (`userAttributes.<name>`);
// the user becomes CONFIRMED and the sign-in completes.
const newPasswordRequired: ChallengeHandler = {
  name: 'NEW_PASSWORD_REQUIRED',
  async respond(responses, session, { ctx, pool, client }) {
    const username = responses['USERNAME'];
    const password = responses['NEW_PASSWORD'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    if (!password) throw Errors.InvalidParameter('Missing required parameter NEW_PASSWORD');
    const attrInput = Object.entries(responses)
      .filter(([k]) => k.startsWith('userAttributes.'))
      .map(([k, v]) => ({ Name: k.slice('userAttributes.'.length), Value: v }));
    // Checked as at creation, so an immutable attribute the user lacks can be filled in; one already set is refused below.
    const attrs = validateAttributes(pool, attrInput, { who: 'user', creating: true, client });
    if (Object.keys(attrs).some((n) => n.endsWith('_verified'))) throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');
    // The session is checked before any costly work, and must belong to the
    // user USERNAME names; then the new password's hash and SRP verifier are
    // made outside the transaction (argon2 is slow).
    const open = await peekChallenge(ctx.store, ctx.clock, session, client, 'NEW_PASSWORD_REQUIRED');
    const named = await findUserBySignInName(ctx.store, pool, username);
    if (!named || named.sub !== open.sub) throw Errors.NotAuthorized('Invalid session for the user.');
    // The policy needs the user (no username or email inside), the history a proven one: the session is.
    await assertNewPassword(ctx.store, pool, password, { usernames: [named.username, username], attributes: { ...named.attributes, ...attrs } });
    await assertNotRecentlyUsed(ctx.store, pool, named, password);
    const material: PasswordMaterial = await passwordMaterial(ctx.master, pool, named, password);

    // Taking the session and completing the sign-in are one transaction: a
    // refused answer (say, a required attribute still missing) leaves the
    // session usable for a corrected one, while an accepted one consumes it.
    return ctx.store.transaction(async (tx) => {
      const row = await takeChallenge(tx, ctx.clock, session, client, 'NEW_PASSWORD_REQUIRED');
      const user = row.sub ? await tx.users.bySub(row.sub) : null;
      if (!user || named.sub !== user.sub || user.status !== 'FORCE_CHANGE_PASSWORD' || (await findUserBySignInName(tx, pool, username))?.sub !== user.sub) {
        throw Errors.NotAuthorized('Invalid session for the user.');
      }
      // Disabled after the first factor, while the challenge was open: no tokens.
      if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
      // "You can't modify a required attribute that already has a value" (RespondToAuthChallenge reference).
      const schema = pool.settings.SchemaAttributes ?? [];
      const required = schema.filter((a) => a.Required && a.Name !== 'sub').map((a) => a.Name ?? '');
      const overwritten = required.find((n) => attrs[n] !== undefined && user.attributes[n]);
      if (overwritten) throw Errors.NotAuthorized(`Cannot modify an already provided ${overwritten}`);
      const immutable = schema.find((a) => a.Mutable === false && attrs[a.Name ?? ''] !== undefined && user.attributes[a.Name ?? ''] !== undefined);
      if (immutable) throw Errors.InvalidParameter(`Cannot modify the non-mutable attribute ${immutable.Name}`);
      const missing = required.filter((n) => !user.attributes[n] && !attrs[n]);
      if (missing.length) throw Errors.InvalidParameter(`Invalid attributes given, ${missing.join(', ')} is missing`);
      // A new email or phone is unverified, and may not be another user's sign-in name.
      for (const attr of ['email', 'phone_number'] as const) {
        const value = attrs[attr];
        if (value === undefined || value === user.attributes[attr]) continue;
        const holders = await signInNameHolders(tx, pool, attr, value, user.sub);
        if (holders?.users.length) {
          const message = `An account with the given ${attr} already exists.`;
          throw holders.as === 'username' ? Errors.UsernameExists(message) : Errors.AliasExists(message);
        }
        attrs[`${attr}_verified`] = 'false';
      }

      const now = ctx.clock.now();
      const patch = { status: 'CONFIRMED' as const, ...material, passwordChangedAt: now, tempPasswordExpiresAt: null };
      await tx.passwordHistory.retireCurrent(user.sub, now);
      await tx.users.update(user.sub, patch, now);
      await tx.users.setAttributes(pool.id, user.sub, attrs);
      return afterFirstFactor({ ...ctx, store: tx }, pool, client, { ...user, ...patch, attributes: { ...user.attributes, ...attrs } });
    });
  },
};
export default newPasswordRequired;
