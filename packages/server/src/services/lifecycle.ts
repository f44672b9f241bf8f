import type { FastifyBaseLogger } from 'fastify';
import { startPeriodicJob, type PeriodicJob } from '../jobs/periodic.ts';
import type { User, UserStatus } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';

// Cognate's user lifecycle beyond Cognito's statuses (docs/user-lifecycle.md):
//
// - ARCHIVED: the account is kept but unusable. Sign-in is refused as for a
//   disabled user, every session is revoked, ListUsers hides it unless asked
//   for by status, and once the pool's ArchiveRetentionDays have passed the
//   purge job deletes it. AdminRestoreUser returns the status it had before.
// - COMPROMISED: the credentials are known to be exposed. Every session is
//   revoked at once and sign-in answers PasswordResetRequiredException until
//   the password is reset (ForgotPassword + ConfirmForgotPassword, or
//   AdminSetUserPassword); the user is then CONFIRMED (or
//   FORCE_CHANGE_PASSWORD for a temporary password set by an operator).

/** Retention of archived users when a pool has set none (SetUserPoolLifecycleConfiguration). */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 365;
export const MIN_ARCHIVE_RETENTION_DAYS = 1;
export const MAX_ARCHIVE_RETENTION_DAYS = 3650;
const DAY_MS = 86_400_000;
const PURGE_BATCH = 100;

/** The user as it is now, inside the transaction that changes it: one deleted meanwhile is not found. */
async function current(tx: Store, user: User): Promise<User> {
  const now = await tx.users.bySub(user.sub);
  if (!now) throw Errors.UserNotFound('User does not exist.');
  return now;
}

export async function archiveRetentionDays(store: Store, poolId: string): Promise<number> {
  return (await store.lifecycle.retentionDays(poolId)) ?? DEFAULT_ARCHIVE_RETENTION_DAYS;
}

/** Archives a user: status ARCHIVED, the previous status kept for restoring, all sessions revoked, in one transaction. */
export async function archiveUser(store: Store, clock: Clock, user: User): Promise<void> {
  const now = clock.now();
  await store.transaction(async (tx) => {
    // Read again inside the transaction: the status kept for restoring is the one being replaced.
    const before = await current(tx, user);
    if (before.status === 'ARCHIVED') throw Errors.UnsupportedUserState('User is already archived.');
    await tx.users.update(user.sub, { status: 'ARCHIVED' }, now);
    await tx.lifecycle.setArchived(user.poolId, user.sub, before.status, now);
    await tx.tokens.revokeUserSessions(user.sub, now);
  });
}

/** Restores an archived user to the status it had when archived. Sessions revoked by the archive stay revoked. */
export async function restoreUser(store: Store, clock: Clock, user: User): Promise<UserStatus> {
  const now = clock.now();
  return store.transaction(async (tx) => {
    if ((await current(tx, user)).status !== 'ARCHIVED') throw Errors.UnsupportedUserState('User is not archived.');
    const record = await tx.lifecycle.record(user.sub);
    const status = (record?.status_before_archive ?? 'CONFIRMED') as UserStatus;
    await tx.users.update(user.sub, { status }, now);
    await tx.lifecycle.clearArchived(user.sub);
    return status;
  });
}

/**
 * Marks a user's credentials compromised: status COMPROMISED and every
 * session revoked at once, in one transaction. `by` says who decided it (an
 * operator's access key, or a detector such as a breached-password check),
 * so later automatic detection calls this same function. Marking again
 * revokes again. Refused for an archived user (restore first) and a
 * federated one (no password to reset).
 */
export async function markCompromised(store: Store, clock: Clock, user: User, by: string): Promise<void> {
  const now = clock.now();
  await store.transaction(async (tx) => {
    const { status } = await current(tx, user);
    if (status === 'ARCHIVED') throw Errors.UnsupportedUserState('User is archived; restore it before marking it compromised.');
    if (status === 'EXTERNAL_PROVIDER') throw Errors.UnsupportedUserState('User is from an external provider and has no password to reset.');
    await tx.users.update(user.sub, { status: 'COMPROMISED' }, now);
    await tx.lifecycle.setCompromised(user.poolId, user.sub, by, now);
    await tx.tokens.revokeUserSessions(user.sub, now);
  });
}

/**
 * Deletes the users archived longer than their pool's retention, as
 * AdminDeleteUser does (attributes, codes and sessions go with the row).
 * Returns how many were deleted. Safe to run at any time and concurrently
 * with requests: each batch is re-selected, and a user restored meanwhile is
 * no longer ARCHIVED and so no longer selected.
 */
export async function purgeArchivedUsers(store: Store, now: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const batch = await store.lifecycle.expiredArchives(now, DEFAULT_ARCHIVE_RETENTION_DAYS, PURGE_BATCH);
    for (const { sub } of batch) {
      await store.transaction(async (tx) => {
        // Checked again inside the transaction: a restore may have won the race.
        const user = await tx.users.bySub(sub);
        const record = await tx.lifecycle.record(sub);
        if (user?.status !== 'ARCHIVED' || !record || record.archived_at === null) return;
        const retention = (await tx.lifecycle.retentionDays(user.poolId)) ?? DEFAULT_ARCHIVE_RETENTION_DAYS;
        if (Number(record.archived_at) + retention * DAY_MS > now) return;
        await tx.users.delete(sub);
        purged++;
      });
    }
    if (batch.length < PURGE_BATCH) return purged;
  }
}

/** The purge's timer: `runOnce` runs it now, `stop` waits for a run in progress. */
export type LifecycleJobs = PeriodicJob<number>;

/**
 * The background purge: every `intervalMs`, archived users past their pool's
 * retention are deleted, and so are OAuth codes and managed-login sessions
 * past their life. Runs never overlap; a failed run is logged and the
 * next one tries again. The timer does not keep the process alive.
 */
export function startLifecycleJobs(deps: { store: Store; clock: Clock; log: FastifyBaseLogger }, intervalMs: number): LifecycleJobs {
  return startPeriodicJob({
    intervalMs,
    log: deps.log,
    run: async () => {
      await deps.store.oauthGrants.purgeExpired(deps.clock.now());
      return purgeArchivedUsers(deps.store, deps.clock.now());
    },
    done: (n) => {
      if (n > 0) deps.log.info({ purged: n }, 'purged archived users past retention');
    },
    failed: 'archived-user purge failed',
  });
}
