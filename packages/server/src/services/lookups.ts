import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/master-key.ts';
import type { AppClient } from '../domain/client-settings.ts';
import { isCaseSensitive, usesEmailAsUsername, usesPhoneAsUsername, type Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';

// Loading what an operation needs, with Cognito's error for each absence.

export async function requirePool(store: Store, poolId: string): Promise<Pool> {
  const pool = await store.pools.pool(poolId);
  if (!pool) throw Errors.ResourceNotFound(`User pool ${poolId} does not exist.`);
  return pool;
}

export async function requireClient(store: Store, clientId: string, poolId?: string): Promise<AppClient> {
  const client = await store.pools.client(clientId);
  if (!client || (poolId !== undefined && client.poolId !== poolId)) throw Errors.ResourceNotFound(`User pool client ${clientId} does not exist.`);
  return client;
}

/** A client and its pool, for public operations that name only the client. */
export async function requireClientAndPool(store: Store, clientId: string): Promise<{ client: AppClient; pool: Pool }> {
  const client = await requireClient(store, clientId);
  return { client, pool: await requirePool(store, client.poolId) };
}

export const secretHash = (secret: string, username: string, clientId: string): string =>
  createHmac('sha256', secret)
    .update(username + clientId, 'utf8')
    .digest('base64');

/** Clients with a secret must prove it on every flow that names a user (SECRET_HASH), made with any of their (up to two) secrets. */
export function checkSecretHash(client: AppClient, username: string, given: string | undefined): void {
  if (client.secret === null) return;
  if (!given) throw Errors.NotAuthorized(`Client ${client.clientId} is configured with secret but SECRET_HASH was not received`);
  // Every secret is tried (no early exit), so timing does not tell which one matched.
  const matches = client.secrets.map((s) => safeEqual(secretHash(s.value, username, client.clientId), given));
  if (!matches.includes(true)) throw Errors.NotAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

/** Whether `given` is one of the client's secrets (RevokeToken, GetTokensFromRefreshToken send the secret itself). */
export function clientSecretMatches(client: AppClient, given: string | undefined): boolean {
  if (given === undefined) return false;
  return client.secrets.map((s) => safeEqual(s.value, given)).includes(true);
}

export const usernameKey = (pool: Pool, username: string): string => (isCaseSensitive(pool) ? username : username.toLowerCase());

/**
 * The user a sign-in name refers to: the username itself, or, where the pool
 * signs in with email/phone (UsernameAttributes) or allows aliases
 * (AliasAttributes), the user holding that attribute. Aliases only match
 * verified values; username attributes match whatever the user signed up with.
 */
export async function findUserBySignInName(store: Store, pool: Pool, name: string): Promise<User | null> {
  const direct = await store.users.byUsername(pool.id, usernameKey(pool, name));
  if (direct) return direct;
  const candidates: { attr: string; mustBeVerified: boolean }[] = [];
  if (usesEmailAsUsername(pool)) candidates.push({ attr: 'email', mustBeVerified: false });
  if (usesPhoneAsUsername(pool)) candidates.push({ attr: 'phone_number', mustBeVerified: false });
  for (const alias of pool.settings.AliasAttributes ?? []) candidates.push({ attr: alias, mustBeVerified: alias !== 'preferred_username' });
  for (const { attr, mustBeVerified } of candidates) {
    const users = await store.users.byAttribute(pool.id, attr, name);
    const verifiedFlag = `${attr}_verified`;
    const match = mustBeVerified
      ? users.find((u) => u.attributes[verifiedFlag] === 'true')
      : (users.find((u) => u.attributes[verifiedFlag] === 'true') ?? users.find((u) => u.status !== 'UNCONFIRMED') ?? users[0]);
    if (match) return match;
  }
  return null;
}

/**
 * The user an operator operation's Username names: a sign-in name as above,
 * or else the user's `sub` (AdminGetUser reference: "If username isn't an
 * alias attribute in your user pool, this value must be the sub of a local
 * user"). The sub must belong to this pool. Sign-in flows do not take a sub.
 */
export async function requireUser(store: Store, pool: Pool, name: string): Promise<User> {
  const user = (await findUserBySignInName(store, pool, name)) ?? (await userBySubInPool(store, pool, name));
  if (!user) throw Errors.UserNotFound('User does not exist.');
  return user;
}

async function userBySubInPool(store: Store, pool: Pool, sub: string): Promise<User | null> {
  const user = await store.users.bySub(sub);
  return user && user.poolId === pool.id ? user : null;
}

/**
 * Other users who already sign in with `value` as their `attr`: every holder
 * where the attribute is a username attribute, holders of the verified value
 * where it is an alias (only verified aliases sign in). Null when the
 * attribute is neither, so any number of users may share it.
 */
export async function signInNameHolders(
  store: Store,
  pool: Pool,
  attr: 'email' | 'phone_number',
  value: string,
  exceptSub: string | null,
): Promise<{ as: 'username' | 'alias'; users: User[] } | null> {
  const asUsername = attr === 'email' ? usesEmailAsUsername(pool) : usesPhoneAsUsername(pool);
  if (!asUsername && !pool.settings.AliasAttributes?.includes(attr)) return null;
  const users = (await store.users.byAttribute(pool.id, attr, value)).filter(
    (u) => u.sub !== exceptSub && (asUsername || u.attributes[`${attr}_verified`] === 'true'),
  );
  return { as: asUsername ? 'username' : 'alias', users };
}
