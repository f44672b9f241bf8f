import type { Context } from '../context.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { createMigratedUser } from '../services/users.ts';
import { booleanOf, runTrigger, stringMapOf, stringOf, unrecognizable, type TriggerResponse } from './run-trigger.ts';

// The migrate user trigger (developer guide, "Migrate user Lambda trigger",
// "Importing users with a user migration Lambda trigger"): a name that
// matches no user, at a password sign-in (USER_PASSWORD_AUTH,
// ADMIN_USER_PASSWORD_AUTH, the managed-login password form; never SRP,
// whose proof gives no password to hand over, nor passwordless sign-in) or in
// ForgotPassword, is offered to the pool's function; when it answers with
// the user's attributes, the user is created (services/users.ts
// createMigratedUser) and the operation carries on with that user.
//
// Events carry the password: never logged.

/** What asking came to: the user created, the function's "not one of mine" (no attributes), or null when the pool has no such trigger. */
export type Migration = User | 'declined' | null;

type Source = 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';

/** The answer to a sign-in under an unknown name: `metadata` is InitiateAuth's ClientMetadata (the event's validationData). */
export function migrateAtSignIn(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  username: string,
  password: string,
  metadata: Record<string, string> | undefined,
): Promise<Migration> {
  return migrate(ctx, pool, client, 'UserMigration_Authentication', username, password, { password, ...(metadata ? { validationData: metadata } : {}) });
}

/** The answer to ForgotPassword under an unknown name: `metadata` is its ClientMetadata (the event's clientMetadata). */
export function migrateForReset(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  username: string,
  metadata: Record<string, string> | undefined,
): Promise<Migration> {
  return migrate(ctx, pool, client, 'UserMigration_ForgotPassword', username, null, metadata ? { clientMetadata: metadata } : {});
}

async function migrate(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  source: Source,
  username: string,
  password: string | null,
  request: Record<string, unknown>,
): Promise<Migration> {
  const response = await runTrigger(ctx, pool, { trigger: 'UserMigration', triggerSource: source, userName: username, clientId: client.clientId, request });
  if (!response) return null;
  const attributes = stringMapOf(response, 'userAttributes');
  if (!attributes || Object.keys(attributes).length === 0) return 'declined';
  const welcome = stringOf(response, 'messageAction') !== 'SUPPRESS';
  return createMigratedUser(ctx, pool, {
    given: username,
    password,
    attributes,
    // "If you don't set this attribute to CONFIRMED, it's set to RESET_REQUIRED."
    status: stringOf(response, 'finalUserStatus') === 'CONFIRMED' ? 'CONFIRMED' : 'RESET_REQUIRED',
    welcome: welcome ? { mediums: mediumsOf(response) } : false,
    forceAliasCreation: booleanOf(response, 'forceAliasCreation'),
    enableSmsMfa: booleanOf(response, 'enableSMSMFA'),
  });
}

/** desiredDeliveryMediums: EMAIL and/or SMS (absent: the invitation's default, SMS). */
function mediumsOf(response: TriggerResponse): string[] | undefined {
  const value = response['desiredDeliveryMediums'];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((m) => m !== 'EMAIL' && m !== 'SMS')) throw unrecognizable();
  return value as string[];
}
