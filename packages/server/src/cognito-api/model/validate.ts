import { readModel, withSupplement } from '../../aws-json/validate.ts';

export { validateInput, type Model, type Shape } from '../../aws-json/validate.ts';

/**
 * The Cognito user-pool API model (botocore cognito-idp 2016-04-18, extracted
 * by scripts/extract-model.mjs) with sdk-only-shapes.json merged in: the
 * operations the current JavaScript SDK has beyond botocore that Cognate
 * serves, in the same format, so they are validated and typed like the rest.
 */
export const model = withSupplement(readModel(new URL('./cognito-idp.json', import.meta.url)), readModel(new URL('./sdk-only-shapes.json', import.meta.url)));

// One correction: the model gives `Domain` the prefix-domain pattern (no dots,
// at most 63 characters), yet Cognito accepts custom domains such as
// auth.example.com in the same member (CreateUserPoolDomain with
// CustomDomainConfig, DG cognito-user-pools-add-custom-domain.html) and
// answers a bad prefix with its own sentence, not a pattern failure. The
// domain operations check the name themselves (domain/domain-names.ts).
const domainType = model.shapes.DomainType;
if (domainType) {
  delete domainType.pattern;
  domainType.max = 253;
}
