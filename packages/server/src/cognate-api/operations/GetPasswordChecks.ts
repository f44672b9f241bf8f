import { requirePool } from '../../services/lookups.ts';
import { passwordChecksOf } from '../../services/password-rules.ts';
import { cognateOperation } from '../operation.ts';
import { UserPoolIdField } from '../schema.ts';

// Which of Cognate's extra password rules the pool applies (see SetPasswordChecks).
export default cognateOperation('GetPasswordChecks', { UserPoolId: UserPoolIdField }, async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const checks = await passwordChecksOf(ctx.store, pool.id);
  return { UserPoolId: pool.id, RejectContextWords: checks.rejectContextWords, RejectCommonPasswords: checks.rejectCommonPasswords };
});
