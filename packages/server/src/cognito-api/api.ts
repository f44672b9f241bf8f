import type { AwsJsonApi } from '../aws-json/api.ts';
import { Errors } from '../errors/cognito-error.ts';
import { redactCognito } from '../audit/redact.ts';
import { recordAuthEvent } from '../services/auth-events.ts';
import { operatorResource } from '../services/operator-policy.ts';
import { categoryOf } from '../services/quota-categories.ts';
import { readFileSync } from 'node:fs';
import { model, validateInput } from './model/validate.ts';
import { loadOperations } from './protocol.ts';

/** Operations of the current JavaScript SDK that the botocore model does not have yet (docs/compatibility.md counts them). */
const sdkOnly = new Set(
  (JSON.parse(readFileSync(new URL('./model/sdk-only-operations.json', import.meta.url), 'utf8')) as { operations: string[] }).operations,
);

/**
 * Amazon Cognito's user-pool API (AWSCognitoIdentityProviderService), its
 * requests checked against botocore's model (model/cognito-idp.json). The
 * IAM actions are `cognito-idp:<Operation>` on the pool's ARN.
 */
export const cognitoApi: AwsJsonApi = {
  targetPrefix: model.metadata.targetPrefix,
  service: 'cognito-idp',
  operatorOnly: false,
  loadOperations,
  unknownOperation: (name) =>
    // An operation of Cognito's API that Cognate lacks says so, so a caller
    // can tell "not built yet" from a typo; the type stays the one AWS
    // answers an unknown target with, which every SDK maps to its generic
    // service exception. So does one the current SDK has beyond the model.
    // Any other name keeps the bare answer.
    Object.hasOwn(model.operations, name) || sdkOnly.has(name)
      ? { error: Errors.UnknownOperation(`Cognate does not implement ${name} yet.`), omitMessage: false }
      : { error: Errors.UnknownOperation(''), omitMessage: true },
  validate: (op, body) => {
    validateInput(model, op.name, body);
    return body;
  },
  inputMembers: (operation) => new Set(Object.keys(model.shapes[model.operations[operation]?.input ?? '']?.members ?? {})),
  resource: operatorResource,
  redact: redactCognito,
  quotaCategory: categoryOf,
  afterCall: recordAuthEvent,
};
