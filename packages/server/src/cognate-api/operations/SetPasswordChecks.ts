import { requirePool } from '../../services/lookups.ts';
import { cognateOperation } from '../operation.ts';
import { UserPoolIdField } from '../schema.ts';

// Turns Cognate's password rules beyond Cognito's on or off for one pool:
// RejectContextWords refuses a password containing the username, the email
// address (or its local part) or the pool name; RejectCommonPasswords one of
// the common-password list. Both off (a new pool's default unless
// --password-extra-checks) accepts exactly what Cognito accepts. Applies to
// the next password set; passwords already set are not re-checked.
const schema = {
  UserPoolId: UserPoolIdField,
  RejectContextWords: { type: 'boolean', required: true },
  RejectCommonPasswords: { type: 'boolean', required: true },
} as const;

export default cognateOperation('SetPasswordChecks', schema, async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  await ctx.store.passwordChecks.setChecks(
    pool.id,
    { rejectContextWords: input.RejectContextWords, rejectCommonPasswords: input.RejectCommonPasswords },
    ctx.clock.now(),
  );
  return { UserPoolId: pool.id, RejectContextWords: input.RejectContextWords, RejectCommonPasswords: input.RejectCommonPasswords };
});
