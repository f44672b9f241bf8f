import { requirePool } from '../../services/lookups.ts';
import { describeTerms, requireTerms } from '../terms.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('DescribeTerms', async (input, ctx) => {
  await requirePool(ctx.store, input.UserPoolId);
  return { Terms: describeTerms(await requireTerms(ctx.store, input.UserPoolId, input.TermsId)) };
});
