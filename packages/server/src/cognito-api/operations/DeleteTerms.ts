import { requirePool } from '../../services/lookups.ts';
import { requireTerms } from '../terms.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('DeleteTerms', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const terms = await requireTerms(tx, input.UserPoolId, input.TermsId);
    await tx.terms.delete(terms.id);
  });
  return {};
});
