import type { Context } from '../context.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import { discover } from '../services/discover.ts';
import type { AuthStep } from '../services/auth-step.ts';

/** AuthParameters / ChallengeResponses as sent. */
export type Params = Record<string, string | undefined>;

export interface FlowEnv {
  ctx: Context;
  pool: Pool;
  client: AppClient;
  /** The endpoint the flow was started from: InitiateAuth (public) or AdminInitiateAuth (admin). */
  endpoint: 'public' | 'admin';
  /** InitiateAuth's ClientMetadata, which reaches only the pre authentication and migration triggers, as their validationData; null when none. */
  validationData?: Record<string, string> | null;
  /** RespondToAuthChallenge's ClientMetadata, for the challenge triggers (custom-rounds.ts). */
  clientMetadata?: Record<string, string> | undefined;
}

/** One strategy per AuthFlow value (and its legacy aliases). */
export interface AuthFlow {
  names: string[];
  endpoints: ('public' | 'admin')[];
  /** The ExplicitAuthFlows entry that lets a client use it. */
  allow: string;
  start(params: Params, env: FlowEnv): Promise<AuthStep>;
}

/** One handler per ChallengeName, for RespondToAuthChallenge and its admin twin. */
export interface ChallengeHandler {
  name: string;
  respond(responses: Params, session: string | undefined, env: FlowEnv): Promise<AuthStep>;
}

let flows: Promise<Map<string, AuthFlow>> | undefined;
let challenges: Promise<Map<string, ChallengeHandler>> | undefined;

export function authFlows(): Promise<Map<string, AuthFlow>> {
  flows ??= discover<AuthFlow>(new URL('./flows/', import.meta.url)).then((found) => {
    const map = new Map<string, AuthFlow>();
    for (const { value } of found) for (const name of value.names) map.set(name, value);
    return map;
  });
  return flows;
}

export function challengeHandlers(): Promise<Map<string, ChallengeHandler>> {
  challenges ??= discover<ChallengeHandler>(new URL('./challenges/', import.meta.url)).then((found) => new Map(found.map(({ value }) => [value.name, value])));
  return challenges;
}
