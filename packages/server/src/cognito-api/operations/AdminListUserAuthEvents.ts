import { describeAuthEvent, requireThreatProtection } from '../../services/auth-events.ts';
import type { AuthEventPageCursor } from '../../store/events.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';

const DEFAULT_PAGE = 60;

// The user's auth event history, newest first (services/auth-events.ts
// records it). As in Cognito, the pool needs threat protection
// (UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED) to answer. Up to
// MaxResults per page (0 or absent: 60); NextToken is sealed and bound to
// this pool and user.
export default operatorOperation('AdminListUserAuthEvents', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  requireThreatProtection(pool);
  const user = await requireUser(ctx.store, pool, input.Username);
  const scope = `AdminListUserAuthEvents:${pool.id}:${user.sub}`;
  const after = decodePageToken<AuthEventPageCursor>(ctx.master, scope, input.NextToken);
  const limit = input.MaxResults || DEFAULT_PAGE;
  const rows = await ctx.store.events.list(user.sub, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    AuthEvents: page.map(describeAuthEvent),
    ...(rows.length > limit && last
      ? { NextToken: encodePageToken(ctx.master, scope, { seq: Number(last.seq), eventId: last.event_id } satisfies AuthEventPageCursor) }
      : {}),
  };
});
