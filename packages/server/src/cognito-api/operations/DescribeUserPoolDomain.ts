import { describeDomain } from '../domains.ts';
import { operatorOperation } from '../operation.ts';

// An unknown domain is not an error: Cognito answers an empty
// DomainDescription, which is how tools (Terraform's provider among them)
// tell that a domain is free or gone.
export default operatorOperation('DescribeUserPoolDomain', async (input, ctx) => {
  const domain = await ctx.store.domains.byName(input.Domain);
  return { DomainDescription: domain ? describeDomain(domain, ctx.config.accountId) : {} };
});
