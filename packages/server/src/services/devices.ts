import type { AttributeType, DeviceType } from '@aws-sdk/client-cognito-identity-provider';
import { N } from '../crypto/srp.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import { decodePageToken, encodePageToken } from './pagination.ts';
import type { Context } from '../context.ts';
import { epochSeconds, type Wire } from '../domain/wire.ts';
import type { AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { DevicePageCursor } from '../store/devices.ts';
import type { Store } from '../store/store.ts';
import type { DeviceRow } from '../store/tables.ts';
import { openChallenge } from './challenges.ts';
import { ALNUM } from './ids.ts';
import type { AuthStep, SignInSignals } from './auth-step.ts';

// Remembered devices, as Cognito's device tracking (developer guide, "Working
// with user devices in your user pool"):
// - A pool tracks devices once any DeviceConfiguration property is set. A
//   sign-in that names no device of the user gets NewDeviceMetadata: a
//   DeviceKey `<region>_<uuid>` and a DeviceGroupKey (`-` and 8 alphanumerics,
//   the form of Cognito's examples).
// - ConfirmDevice stores the device's SRP verifier (identity-js derives it from
//   a random device password with the DeviceGroupKey as "pool name" and the
//   DeviceKey as user name); with DeviceOnlyRememberedOnUserPrompt the device
//   stays not_remembered until UpdateDeviceStatus.
// - With ChallengeRequiredOnNewDevice, a sign-in that carries the DEVICE_KEY of
//   a remembered device is asked for the device's own SRP proof
//   (DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER) instead of MFA.
// A DEVICE_KEY naming no device of this user is ignored (the sign-in goes on
// as without one): Cognito answers ResourceNotFoundException there, which
// identity-js handles by resending the PASSWORD_VERIFIER answer, but that
// answer is single-use here, so the retry would fail.

/** Keys handed out but never confirmed are dropped after a day. */
const PENDING_TTL_MS = 86_400_000;
const VERIFIER_PURPOSE = 'device-verifier';
const verifierContext = (sub: string, deviceKey: string): string => `${sub}\n${deviceKey}`;

export const deviceNotFound = () => Errors.ResourceNotFound('Device does not exist.');

/** "When you provide a value for any property of DeviceConfiguration, you activate the device remembering." */
export function tracksDevices(pool: Pool): boolean {
  const config = pool.settings.DeviceConfiguration;
  return !!config && (config.ChallengeRequiredOnNewDevice !== undefined || config.DeviceOnlyRememberedOnUserPrompt !== undefined);
}

/**
 * The remembered-device step after the first factor: a DEVICE_SRP_AUTH
 * challenge when the pool lets remembered devices stand in for MFA and the
 * client sent the DEVICE_KEY of one of this user's remembered devices; else null.
 */
export async function deviceStep(ctx: Context, pool: Pool, client: AppClient, user: User, signals: SignInSignals): Promise<AuthStep | null> {
  if (!tracksDevices(pool) || pool.settings.DeviceConfiguration?.ChallengeRequiredOnNewDevice !== true || !signals.deviceKey) return null;
  const device = await ctx.store.devices.find(user.sub, signals.deviceKey);
  if (device?.status !== 'remembered' || !device.verifier_sealed) return null;
  const session = await openChallenge(ctx.store, ctx, { client, user, challenge: 'DEVICE_SRP_AUTH', state: { deviceKey: device.device_key } });
  return { ChallengeName: 'DEVICE_SRP_AUTH', Session: session, ChallengeParameters: { USERNAME: user.username, DEVICE_KEY: device.device_key } };
}

/** NewDeviceMetadata for AuthenticationResult when the pool tracks devices and the sign-in named none of the user's devices. */
export async function newDeviceMetadata(
  ctx: Context,
  pool: Pool,
  _client: AppClient,
  user: User,
  signals: SignInSignals,
): Promise<{ DeviceKey: string; DeviceGroupKey: string } | undefined> {
  if (!tracksDevices(pool)) return undefined;
  if (signals.deviceKey && (await ctx.store.devices.find(user.sub, signals.deviceKey))) return undefined;
  const now = ctx.clock.now();
  const region = pool.id.slice(0, pool.id.indexOf('_'));
  const DeviceKey = `${region}_${ctx.ids.uuid()}`;
  const DeviceGroupKey = `-${ctx.ids.chars(ALNUM, 8)}`;
  await ctx.store.devices.dropStalePending(user.sub, now - PENDING_TTL_MS);
  await ctx.store.devices.insertPending({
    device_key: DeviceKey,
    sub: user.sub,
    pool_id: pool.id,
    group_key: DeviceGroupKey,
    last_ip: ctx.request.sourceIp,
    created_at: now,
  });
  return { DeviceKey, DeviceGroupKey };
}

/**
 * ConfirmDevice's DeviceSecretVerifierConfig as identity-js sends it: base64
 * of the verifier's and the salt's padHex bytes. The verifier must be a
 * usable group element; it is returned sealed, the salt as hex.
 */
export function deviceVerifier(
  master: MasterKey,
  sub: string,
  deviceKey: string,
  config: { PasswordVerifier?: string | undefined; Salt?: string | undefined } | undefined,
): { salt: string | null; verifierSealed: string | null } {
  if (!config) return { salt: null, verifierSealed: null };
  const verifier = strictBase64(config.PasswordVerifier);
  const salt = strictBase64(config.Salt);
  if (!verifier || !salt || salt.length > 64 || verifier.length > 400) throw Errors.InvalidParameter('Invalid DeviceSecretVerifierConfig.');
  const v = BigInt(`0x${verifier.toString('hex')}`);
  if (v <= 1n || v >= N - 1n) throw Errors.InvalidParameter('Invalid DeviceSecretVerifierConfig.');
  return { salt: salt.toString('hex'), verifierSealed: master.seal(VERIFIER_PURPOSE, verifierContext(sub, deviceKey), verifier) };
}

/** The device's SRP verifier v, or null when it has none or it cannot be opened. */
export function openDeviceVerifier(master: MasterKey, device: DeviceRow): bigint | null {
  if (!device.verifier_sealed) return null;
  try {
    const bytes = master.open(VERIFIER_PURPOSE, verifierContext(device.sub, device.device_key), device.verifier_sealed);
    return BigInt(`0x${bytes.toString('hex')}`);
  } catch {
    return null;
  }
}

function strictBase64(text: string | undefined): Buffer | null {
  if (!text) return null;
  const bytes = Buffer.from(text, 'base64');
  // Only canonical base64: Buffer.from skips characters it does not know.
  return bytes.length > 0 && bytes.toString('base64') === text ? bytes : null;
}

/** A confirmed device of the user, else ResourceNotFoundException. */
export async function requireDevice(store: Store, user: User, deviceKey: string): Promise<DeviceRow> {
  const device = await store.devices.find(user.sub, deviceKey);
  if (!device || device.status === 'pending') throw deviceNotFound();
  return device;
}

/** DeviceType on the wire: the attributes Cognito lists (device_status, device_name, last_ip_used) and the dates. */
export function deviceType(device: DeviceRow): Wire<DeviceType> {
  const attributes: Wire<AttributeType>[] = [{ Name: 'device_status', Value: device.status }];
  if (device.name !== null) attributes.push({ Name: 'device_name', Value: device.name });
  if (device.last_ip !== null) attributes.push({ Name: 'last_ip_used', Value: device.last_ip });
  return {
    DeviceKey: device.device_key,
    DeviceAttributes: attributes,
    DeviceCreateDate: epochSeconds(Number(device.confirmed_at ?? device.created_at)),
    DeviceLastModifiedDate: epochSeconds(Number(device.updated_at)),
    ...(device.last_authenticated_at !== null ? { DeviceLastAuthenticatedDate: epochSeconds(Number(device.last_authenticated_at)) } : {}),
  };
}

/**
 * One page of the user's devices (ListDevices, AdminListDevices), oldest
 * first. The PaginationToken is sealed and bound to the user, so it can be
 * neither edited nor used for another user's list. No Limit (or 0) means 60,
 * the model's maximum.
 */
export async function listDevices(
  ctx: Context,
  user: User,
  limit: number | undefined,
  token: string | undefined,
): Promise<{ Devices: Wire<DeviceType>[]; PaginationToken?: string }> {
  const pageSize = limit || 60;
  const scope = `ListDevices:${user.sub}`;
  const after = decodePageToken<DevicePageCursor>(ctx.master, scope, token);
  const rows = await ctx.store.devices.list(user.sub, pageSize + 1, after);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const next =
    rows.length > pageSize && last ? encodePageToken(ctx.master, scope, { createdAt: Number(last.created_at), deviceKey: last.device_key }) : undefined;
  return { Devices: page.map(deviceType), ...(next ? { PaginationToken: next } : {}) };
}

/** UpdateDeviceStatus and its admin twin. */
export async function updateDeviceStatus(ctx: Context, user: User, deviceKey: string, status: string | undefined): Promise<void> {
  if (status !== 'remembered' && status !== 'not_remembered') throw Errors.InvalidParameter('Missing required parameter DeviceRememberedStatus');
  if (!(await ctx.store.devices.setStatus(user.sub, deviceKey, status, ctx.clock.now()))) throw deviceNotFound();
}

/** ForgetDevice and its admin twin: the device and its verifier are deleted. */
export async function forgetDevice(ctx: Context, user: User, deviceKey: string): Promise<void> {
  if (!(await ctx.store.devices.forget(user.sub, deviceKey))) throw deviceNotFound();
}
