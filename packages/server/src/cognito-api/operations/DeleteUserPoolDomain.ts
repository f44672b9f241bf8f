import { noSuchDomain } from '../domain-settings.ts';
import { operatorOperation } from '../operation.ts';

// The pair (pool, domain) must name a domain; otherwise, missing pool
// included, Cognito answers "No such domain or user pool exists.".
export default operatorOperation('DeleteUserPoolDomain', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const domain = await tx.domains.byName(input.Domain);
    if (!domain || domain.poolId !== input.UserPoolId) throw noSuchDomain();
    await tx.domains.delete(domain.domain);
  });
  return {};
});
