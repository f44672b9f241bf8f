import type { Pool } from '../domain/pool-settings.ts';
import { regionOfPoolId } from '../domain/regions.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import { requirePool } from '../services/lookups.ts';

// Tags live on user pools, named by ARN:
// arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>.
const POOL_ARN = /^arn:aws:cognito-idp:([^:]+):([0-9]+):userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

/** AWS's per-resource tag limit. */
export const MAX_TAGS = 50;

/**
 * The pool an ARN names. An ARN that is not a user-pool ARN is a bad
 * parameter; one for another region (than the call's) or account, or a pool
 * that does not exist, is not found. (Cognito's texts for these are
 * unconfirmed.)
 */
export async function poolByArn(store: Store, arn: string, here: { region: string; accountId: string }): Promise<Pool> {
  const m = POOL_ARN.exec(arn);
  if (!m) throw Errors.InvalidParameter(`Invalid resource ARN: ${arn}`);
  const [, region, account, poolId] = m as unknown as [string, string, string, string];
  if (region !== here.region || regionOfPoolId(poolId) !== here.region || account !== here.accountId)
    throw Errors.ResourceNotFound(`User pool ${poolId} does not exist.`);
  return requirePool(store, poolId);
}
