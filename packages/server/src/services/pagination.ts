import type { MasterKey } from '../crypto/master-key.ts';
import { Errors } from '../errors/cognito-error.ts';

// Pagination tokens are opaque and tamper-proof: the cursor is sealed with the
// master key and bound to the operation and pool that issued it, so a token
// cannot be edited, forged, or replayed against another listing.
export function encodePageToken(master: MasterKey, scope: string, cursor: object): string {
  return master.seal('page-token', scope, JSON.stringify(cursor));
}

export function decodePageToken<T>(master: MasterKey, scope: string, token: string | undefined): T | null {
  if (token === undefined || token === '') return null;
  try {
    return JSON.parse(master.open('page-token', scope, token).toString('utf8')) as T;
  } catch {
    throw Errors.InvalidParameter('Invalid pagination token.');
  }
}
