import type { Context } from '../context.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { runTrigger } from './run-trigger.ts';
import { clientMetadataOf, eventAttributesOf } from './user-attributes.ts';

// The post confirmation trigger (developer guide, "Post confirmation Lambda
// trigger"): after ConfirmSignUp, AdminConfirmSignUp and a sign-up the pre
// sign-up trigger auto-confirmed (PostConfirmation_ConfirmSignUp), and after
// ConfirmForgotPassword (PostConfirmation_ConfirmForgotPassword), the managed
// pages' confirmation and reset included. It runs once the confirmation is
// committed: a function that fails fails the call with its error, and the
// user stays confirmed (the password stays reset), as Cognito leaves them.
// No response fields.

export type PostConfirmationSource = 'ConfirmSignUp' | 'ConfirmForgotPassword';

/** Runs the trigger for `user` as it is now (confirmed, attributes verified); nothing when the pool has none. */
export async function postConfirmation(ctx: Context, pool: Pool, user: User, source: PostConfirmationSource, clientId: string | null): Promise<void> {
  await runTrigger(ctx, pool, {
    trigger: 'PostConfirmation',
    triggerSource: `PostConfirmation_${source}`,
    userName: user.username,
    clientId,
    request: { userAttributes: eventAttributesOf(pool, user), ...clientMetadataOf(ctx.clientMetadata) },
  });
}
