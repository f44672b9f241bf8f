import type { TermsDocument } from '../../domain/oauth-config.ts';
import { requirePool } from '../../services/lookups.ts';
import { describeTerms, linksOf, requireTerms, termsExist } from '../terms.ts';
import { operatorOperation } from '../operation.ts';

// The members given replace the stored ones; absent ones stay (none of them
// has a default to fall back to). Renaming onto the client's other document
// is TermsExistsException.
export default operatorOperation('UpdateTerms', async (input, ctx) => {
  return ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const terms = await requireTerms(tx, input.UserPoolId, input.TermsId);
    const name = (input.TermsName ?? terms.name) as TermsDocument['name'];
    if (name !== terms.name && (await tx.terms.forClient(terms.poolId, terms.clientId)).some((t) => t.name === name)) throw termsExist(name);
    const updated: TermsDocument = {
      ...terms,
      name,
      source: input.TermsSource ?? terms.source,
      enforcement: input.Enforcement ?? terms.enforcement,
      links: input.Links ? linksOf(input.Links) : terms.links,
      updatedAt: ctx.clock.now(),
    };
    await tx.terms.update(updated);
    return { Terms: describeTerms(updated) };
  });
});
