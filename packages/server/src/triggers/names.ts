import type { Pool } from '../domain/pool-settings.ts';

// The pool's Lambda triggers, by their LambdaConfig member. Each one's word in
// Cognito's error messages is its member name ("PreSignUp failed with error
// …"), so the one list serves both.
export const TRIGGERS = [
  'PreSignUp',
  'CustomMessage',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'PreTokenGeneration',
  'UserMigration',
  'CustomSMSSender',
  'CustomEmailSender',
] as const;

export type TriggerName = (typeof TRIGGERS)[number];

interface LambdaConfigShape {
  [key: string]: unknown;
  PreTokenGenerationConfig?: { LambdaArn?: string; LambdaVersion?: string };
  CustomSMSSender?: { LambdaArn?: string; LambdaVersion?: string };
  CustomEmailSender?: { LambdaArn?: string; LambdaVersion?: string };
  KMSKeyID?: string;
}

export const lambdaConfigOf = (pool: Pool): LambdaConfigShape => (pool.settings.LambdaConfig ?? {}) as LambdaConfigShape;

/**
 * The function a trigger invokes, or null when the pool has none.
 * PreTokenGenerationConfig.LambdaArn wins over the older PreTokenGeneration
 * member (Cognito keeps the two equal when both are set); the custom senders
 * are objects with their ARN inside.
 */
export function functionOf(pool: Pool, trigger: TriggerName): string | null {
  const config = lambdaConfigOf(pool);
  if (trigger === 'PreTokenGeneration') return config.PreTokenGenerationConfig?.LambdaArn ?? stringOrNull(config.PreTokenGeneration);
  if (trigger === 'CustomSMSSender' || trigger === 'CustomEmailSender') return config[trigger]?.LambdaArn ?? null;
  return stringOrNull(config[trigger]);
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The pre token generation event's version: V1_0 unless PreTokenGenerationConfig says otherwise. */
export function preTokenVersionOf(pool: Pool): 'V1_0' | 'V2_0' | 'V3_0' {
  const version = lambdaConfigOf(pool).PreTokenGenerationConfig?.LambdaVersion;
  return version === 'V2_0' || version === 'V3_0' ? version : 'V1_0';
}
