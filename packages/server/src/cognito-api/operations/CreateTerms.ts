import type { TermsDocument } from '../../domain/oauth-config.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { describeTerms, linksOf, termsExist } from '../terms.ts';
import { operatorOperation } from '../operation.ts';

// A terms-of-use or privacy-policy document for one app client: links per
// language (keys such as cognito:default, checked by the model), shown on
// managed login's sign-up page once both kinds exist (API reference,
// CreateTerms). One of each name per client; the insert detects a duplicate.
export default operatorOperation('CreateTerms', async (input, ctx) => {
  const now = ctx.clock.now();
  const terms: TermsDocument = {
    id: ctx.ids.uuid(),
    poolId: input.UserPoolId,
    clientId: input.ClientId,
    name: input.TermsName as TermsDocument['name'],
    source: input.TermsSource,
    enforcement: input.Enforcement,
    links: linksOf(input.Links ?? {}),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    await requireClient(tx, input.ClientId, input.UserPoolId);
    if (!(await tx.terms.insert(terms))) throw termsExist(terms.name);
  });
  return { Terms: describeTerms(terms) };
});
