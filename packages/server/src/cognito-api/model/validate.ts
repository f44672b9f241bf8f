import { readModel } from '../../aws-json/validate.ts';

export { validateInput, type Model, type Shape } from '../../aws-json/validate.ts';

/** The Cognito user-pool API model (botocore cognito-idp 2016-04-18, extracted by scripts/extract-model.mjs). */
export const model = readModel(new URL('./cognito-idp.json', import.meta.url));
