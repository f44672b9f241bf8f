import { Errors } from '../../errors/cognito-error.ts';
import { feedbackTokenMatches, requireThreatProtection, saveFeedback } from '../../services/auth-events.ts';
import { findUserBySignInName, requirePool } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';

// Feedback from the user themself, unauthenticated but for the FeedbackToken:
// a MAC by the master key over pool, user and event (services/auth-events.ts
// feedbackToken), so it cannot be forged or moved to another event. A token
// that does not match, and a name or event that does not exist, get the same
// answer, so the call tells nothing about who or what exists.
export default publicOperation('UpdateAuthEventFeedback', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  requireThreatProtection(pool);
  const user = await findUserBySignInName(ctx.store, pool, input.Username);
  if (!user || !feedbackTokenMatches(ctx.master, pool.id, user.sub, input.EventId, input.FeedbackToken)) {
    throw Errors.NotAuthorized('Invalid feedback token.');
  }
  await saveFeedback(ctx, user.sub, input.EventId, input.FeedbackValue, 'User');
  return {};
});
