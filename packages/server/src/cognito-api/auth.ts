import { authFlows, challengeHandlers, type FlowEnv } from '../auth-flows/flow.ts';
import { allowsFlow, type AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { AuthStep } from '../services/auth-step.ts';
import type { Context } from '../context.ts';
import { metadataOf } from '../triggers/run-trigger.ts';

/** InitiateAuth and AdminInitiateAuth: pick the flow's strategy, check the client allows it, run it. */
export async function initiateAuth(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  endpoint: 'public' | 'admin',
  authFlow: string,
  params: Record<string, string | undefined> | undefined,
  clientMetadata?: Record<string, string | undefined>,
): Promise<AuthStep> {
  const flow = (await authFlows()).get(authFlow);
  if (!flow) throw Errors.InvalidParameter(`Unsupported auth flow ${authFlow}`);
  if (!flow.endpoints.includes(endpoint)) throw Errors.InvalidParameter('Initiate Auth method not supported.');
  if (!allowsFlow(client, flow.allow)) {
    throw Errors.InvalidParameter(endpoint === 'admin' ? 'Auth flow not enabled for this client' : `${authFlow} flow not enabled for this client`);
  }
  // InitiateAuth's ClientMetadata is the pre authentication (and migration) triggers' validationData,
  // and no other trigger's: the post authentication and pre token triggers get only RespondToAuthChallenge's.
  const validationData = ctx.clientMetadata ?? metadataOf(clientMetadata) ?? null;
  delete ctx.clientMetadata;
  const env: FlowEnv = { ctx, pool, client, endpoint, validationData };
  return flow.start(params ?? {}, env);
}

/** RespondToAuthChallenge and AdminRespondToAuthChallenge: one handler per challenge name. */
export async function respondToChallenge(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  endpoint: 'public' | 'admin',
  challengeName: string,
  responses: Record<string, string | undefined> | undefined,
  session: string | undefined,
  clientMetadata?: Record<string, string | undefined>,
): Promise<AuthStep> {
  const metadata = metadataOf(clientMetadata);
  if (metadata) ctx.clientMetadata = metadata;
  const handler = (await challengeHandlers()).get(challengeName);
  if (!handler) throw Errors.InvalidParameter(`Unsupported challenge ${challengeName}`);
  return handler.respond(responses ?? {}, session, { ctx, pool, client, endpoint, clientMetadata: metadata });
}
