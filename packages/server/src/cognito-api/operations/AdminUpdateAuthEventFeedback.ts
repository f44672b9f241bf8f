import { requireThreatProtection, saveFeedback } from '../../services/auth-events.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// An operator marks one of the user's events Valid or Invalid; the feedback
// shows in AdminListUserAuthEvents with Provider "Admin". Stored only:
// Cognate has no risk model for feedback to train.
export default operatorOperation('AdminUpdateAuthEventFeedback', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  requireThreatProtection(pool);
  const user = await requireUser(ctx.store, pool, input.Username);
  await saveFeedback(ctx, user.sub, input.EventId, input.FeedbackValue, 'Admin');
  return {};
});
