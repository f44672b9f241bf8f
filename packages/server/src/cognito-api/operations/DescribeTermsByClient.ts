import { Errors } from '../../errors/cognito-error.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { describeTerms } from '../terms.ts';
import { operatorOperation } from '../operation.ts';

// The SDK-only twin of DescribeTerms (model/sdk-only-shapes.json): the
// client's document of that name rather than a document by ID. Same errors;
// the not-found wording is ours, as DescribeTerms' is.
export default operatorOperation('DescribeTermsByClient', async (input, ctx) => {
  await requirePool(ctx.store, input.UserPoolId);
  await requireClient(ctx.store, input.ClientId, input.UserPoolId);
  const terms = (await ctx.store.terms.forClient(input.UserPoolId, input.ClientId)).find((t) => t.name === input.TermsName);
  if (!terms) throw Errors.ResourceNotFound(`Terms document ${input.TermsName} does not exist for this app client.`);
  return { Terms: describeTerms(terms) };
});
