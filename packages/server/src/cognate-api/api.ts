import type { ApiOperation, AwsJsonApi } from '../aws-json/api.ts';
import { Errors } from '../errors/cognito-error.ts';
import { redactCognate } from '../audit/redact.ts';
import { discover } from '../services/discover.ts';
import { operatorResource } from '../services/operator-policy.ts';
import { categoryOf } from '../services/quota-categories.ts';
import type { CognateOperation } from './operation.ts';
import { validate } from './schema.ts';

let loaded: Promise<Map<string, CognateOperation & { auth: 'operator' }>> | undefined;

/** Every operation file in operations/, loaded once: adding an operation is adding a file. */
export function cognateOperations(): Promise<Map<string, CognateOperation & { auth: 'operator' }>> {
  loaded ??= discover<CognateOperation>(new URL('./operations/', import.meta.url)).then((found) => {
    const ops = new Map<string, CognateOperation & { auth: 'operator' }>();
    for (const { file, value: op } of found) {
      if (`${op.name}.ts` !== file) throw new Error(`cognate-api/operations/${file} must default-export the operation named after the file`);
      ops.set(op.name, { ...op, auth: 'operator' });
    }
    return ops;
  });
  return loaded;
}

/**
 * Cognate's own operator API (X-Amz-Target `CognateService.<Operation>`),
 * kept apart from Cognito's namespace. Every operation is signed (SigV4) and
 * validates against its own schema, since botocore's model does not know
 * them. The IAM actions are `cognate:<Operation>` on the pool's ARN, so a
 * policy can grant Cognito's actions without these.
 */
export const cognateApi: AwsJsonApi = {
  targetPrefix: 'CognateService',
  service: 'cognate',
  operatorOnly: true,
  loadOperations: cognateOperations,
  unknownOperation: () => ({ error: Errors.UnknownOperation(''), omitMessage: true }),
  // The router hands back an operation loadOperations() gave it: one of cognateOperations().
  validate: (op, body) => validate((op as ApiOperation & Pick<CognateOperation, 'schema'>).schema, body),
  // CognateService operations have no model to take their members from.
  inputMembers: () => null,
  resource: operatorResource,
  redact: (_operation, body) => redactCognate(body),
  quotaCategory: categoryOf,
};
