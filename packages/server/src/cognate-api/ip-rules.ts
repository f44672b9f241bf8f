import { requireClient, requirePool } from '../services/lookups.ts';
import type { Store } from '../store/store.ts';
import { Errors } from '../errors/cognito-error.ts';
import { MAX_CIDRS, parseCidr } from '../http/ip-lists.ts';
import { UserPoolIdField } from './schema.ts';

// Shared by SetIpRules and GetIpRules: the target of a rule set is the pool,
// or one of its app clients when ClientId is given (http/protection.ts checks both).

export const ClientIdField = { type: 'string', min: 1, max: 128, pattern: '[\\w+]+', sensitive: true } as const;
export const CidrListField = { type: 'stringList', maxItems: MAX_CIDRS, itemMax: 64 } as const;
export const targetSchema = { UserPoolId: UserPoolIdField, ClientId: ClientIdField } as const;

export async function ruleTarget(
  store: Store,
  poolId: string,
  clientId: string | undefined,
): Promise<{ poolId: string; targetId: string; kind: 'pool' | 'client' }> {
  const pool = await requirePool(store, poolId);
  if (clientId === undefined) return { poolId: pool.id, targetId: pool.id, kind: 'pool' };
  const client = await requireClient(store, clientId, pool.id);
  return { poolId: pool.id, targetId: client.clientId, kind: 'client' };
}

/** Each entry an address or CIDR block; the first bad one is named. Duplicates are dropped. */
export function checkCidrs(member: string, entries: readonly string[]): string[] {
  for (const e of entries) if (!parseCidr(e)) throw Errors.InvalidParameter(`${member} entry "${e}" is not an IPv4 or IPv6 address or CIDR block.`);
  return [...new Set(entries.map((e) => e.trim()))];
}
