import type { Context } from '../cognito-api/operation.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import type { AuthStep, SignInSignals } from './sign-in.ts';

/**
 * PLACEHOLDER (helper "devices"): the remembered-device step after the first
 * factor: a DEVICE_SRP_AUTH challenge when the client sent the DEVICE_KEY of
 * a remembered device (which then skips MFA), or null.
 */
export async function deviceStep(_ctx: Context, _pool: Pool, _client: AppClient, _user: User, _signals: SignInSignals): Promise<AuthStep | null> {
  return null;
}

/** PLACEHOLDER (helper "devices"): NewDeviceMetadata for AuthenticationResult when the pool tracks devices, or undefined. */
export async function newDeviceMetadata(
  _ctx: Context,
  _pool: Pool,
  _client: AppClient,
  _user: User,
  _signals: SignInSignals,
): Promise<{ DeviceKey: string; DeviceGroupKey: string } | undefined> {
  return undefined;
}
