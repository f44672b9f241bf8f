import type { Context } from '../context.ts';
import { preventsUserExistenceErrors, type AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { tracksDevices } from '../services/devices.ts';
import { findUserBySignInName } from '../services/lookups.ts';
import type { SignInSignals } from '../services/auth-step.ts';
import { functionOf } from './names.ts';
import { runTrigger } from './run-trigger.ts';
import { clientMetadataOf, eventAttributesOf } from './user-attributes.ts';

// The pre and post authentication triggers (developer guide, "Pre
// authentication Lambda trigger", "Post authentication Lambda trigger").
//
// Pre authentication runs once per sign-in, when it starts (InitiateAuth,
// AdminInitiateAuth, the managed-login form), before any password, SRP proof
// or code is looked at and before any challenge is opened: an error from the
// function refuses the sign-in, counts as no failed attempt and leaves
// nothing behind. It does not run for a refresh ("renewal of an existing
// authentication session doesn't activate this trigger"), nor for a name
// that matches no user, unless the client's PreventUserExistenceErrors is
// ENABLED; then it runs with `userNotFound: true`. Its `validationData` is
// the ClientMetadata of InitiateAuth.
//
// Post authentication runs when the sign-in has passed every step (MFA
// included) and before tokens (or the managed-login session) are issued: an
// error fails the sign-in. Its `clientMetadata` is RespondToAuthChallenge's
// ClientMetadata only: Cognito never passes InitiateAuth's to it.

export interface PreAuthenticationCall {
  /** The user, when the caller has looked it up already; undefined: look `given` up (only when the pool has the trigger). */
  user?: User | null;
  /** The sign-in name as given. */
  given: string;
  /** InitiateAuth's ClientMetadata (FlowEnv.validationData); null when none was sent. */
  validationData: Record<string, string> | null;
}

/** Runs the pre authentication trigger at the start of a sign-in; nothing when the pool has none. */
export async function preAuthentication(ctx: Context, pool: Pool, client: AppClient, call: PreAuthenticationCall): Promise<void> {
  if (!functionOf(pool, 'PreAuthentication')) return;
  const user = call.user === undefined ? await findUserBySignInName(ctx.store, pool, call.given) : call.user;
  const hiding = preventsUserExistenceErrors(client);
  if (!user && !hiding) return;
  await runTrigger(ctx, pool, {
    trigger: 'PreAuthentication',
    triggerSource: 'PreAuthentication_Authentication',
    userName: user?.username ?? call.given,
    clientId: client.clientId,
    request: {
      userAttributes: user ? eventAttributesOf(pool, user) : {},
      validationData: call.validationData,
      // "When you set PreventUserExistenceErrors to ENABLED …, Amazon Cognito populates this Boolean."
      ...(hiding ? { userNotFound: !user } : {}),
    },
  });
}

/** Runs the post authentication trigger for a sign-in that passed every step; nothing when the pool has none. */
export async function postAuthentication(ctx: Context, pool: Pool, client: AppClient, user: User, signals: SignInSignals): Promise<void> {
  if (!functionOf(pool, 'PostAuthentication')) return;
  // "Only set if the remembered devices value of the user pool is Always or User Opt-In": true when this sign-in gets a new device key.
  const newDeviceUsed = tracksDevices(pool) ? !(signals.deviceKey && (await ctx.store.devices.find(user.sub, signals.deviceKey))) : false;
  await runTrigger(ctx, pool, {
    trigger: 'PostAuthentication',
    triggerSource: 'PostAuthentication_Authentication',
    userName: user.username,
    clientId: client.clientId,
    request: { userAttributes: eventAttributesOf(pool, user), newDeviceUsed, ...clientMetadataOf(ctx.clientMetadata) },
  });
}
