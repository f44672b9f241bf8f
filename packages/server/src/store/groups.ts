import type { Kysely } from 'kysely';
import type { Group, GroupPatch } from '../domain/group.ts';
import type { UserPageCursor } from './users.ts';
import type { GroupRow, Tables } from './tables.ts';
import { prepared, rows } from './prepared.ts';

// Read at every token issue (prepared.ts).
const groupsOf = prepared((db, sub: string) =>
  db
    .selectFrom('user_groups as m')
    .innerJoin('groups as g', (j) => j.onRef('g.pool_id', '=', 'm.pool_id').onRef('g.name', '=', 'm.group_name'))
    .selectAll('g')
    .where('m.sub', '=', sub),
);

const toGroup = (r: GroupRow): Group => ({
  poolId: r.pool_id,
  name: r.name,
  description: r.description,
  roleArn: r.role_arn,
  precedence: r.precedence === null ? null : Number(r.precedence),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/**
 * Groups and memberships. Names are compared exactly (case-sensitive).
 * Memberships disappear with their group, user or pool through the schema's
 * ON DELETE CASCADE (migration 004).
 */
export class GroupStore {
  constructor(protected readonly db: Kysely<Tables>) {}

  /** False when the pool already has a group of that name (the insert is then a no-op, so a race cannot duplicate it). */
  async insert(group: Group): Promise<boolean> {
    const result = await this.db
      .insertInto('groups')
      .values({
        pool_id: group.poolId,
        name: group.name,
        description: group.description,
        role_arn: group.roleArn,
        precedence: group.precedence,
        created_at: group.createdAt,
        updated_at: group.updatedAt,
      })
      .onConflict((oc) => oc.columns(['pool_id', 'name']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(poolId: string, name: string): Promise<Group | null> {
    const row = await this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return row ? toGroup(row) : null;
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async update(poolId: string, name: string, patch: GroupPatch, now: number): Promise<void> {
    const values: Partial<GroupRow> = { updated_at: now };
    if (patch.description !== undefined) values.description = patch.description;
    if (patch.roleArn !== undefined) values.role_arn = patch.roleArn;
    if (patch.precedence !== undefined) values.precedence = patch.precedence;
    await this.db.updateTable('groups').set(values).where('pool_id', '=', poolId).where('name', '=', name).execute();
  }

  /** Deletes the group and, by cascade, its memberships. */
  async delete(poolId: string, name: string): Promise<void> {
    await this.db.deleteFrom('groups').where('pool_id', '=', poolId).where('name', '=', name).execute();
  }

  /** A pool's groups in name order, after `afterName`. */
  async list(poolId: string, limit: number, afterName: string | null): Promise<Group[]> {
    let q = this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId);
    if (afterName !== null) q = q.where('name', '>', afterName);
    return (await q.orderBy('name').limit(limit).execute()).map(toGroup);
  }

  /** Adds the membership; already a member is not an error (nothing changes). */
  async addMember(poolId: string, groupName: string, sub: string, now: number): Promise<void> {
    await this.db
      .insertInto('user_groups')
      .values({ pool_id: poolId, group_name: groupName, sub, created_at: now })
      .onConflict((oc) => oc.columns(['pool_id', 'group_name', 'sub']).doNothing())
      .execute();
  }

  async removeMember(poolId: string, groupName: string, sub: string): Promise<void> {
    await this.db.deleteFrom('user_groups').where('pool_id', '=', poolId).where('group_name', '=', groupName).where('sub', '=', sub).execute();
  }

  async isMember(poolId: string, groupName: string, sub: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('user_groups')
      .select('sub')
      .where('pool_id', '=', poolId)
      .where('group_name', '=', groupName)
      .where('sub', '=', sub)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every group the user belongs to (at most MAX_GROUPS_PER_USER), unordered. */
  async forUser(sub: string): Promise<Group[]> {
    return (await rows(this.db, groupsOf(this.db, sub))).map(toGroup);
  }

  /**
   * The subs of a group's members in the order ListUsers uses (creation time,
   * then sub), after `after`. ARCHIVED members are left out, as ListUsers
   * leaves them out (services/lifecycle.ts); their memberships stay for a restore.
   */
  async memberSubs(poolId: string, groupName: string, limit: number, after: UserPageCursor | null): Promise<string[]> {
    let q = this.db
      .selectFrom('user_groups as m')
      .innerJoin('users as u', 'u.sub', 'm.sub')
      .select(['u.sub', 'u.created_at'])
      .where('m.pool_id', '=', poolId)
      .where('m.group_name', '=', groupName)
      .where('u.status', '!=', 'ARCHIVED');
    if (after !== null) {
      q = q.where((eb) => eb.or([eb('u.created_at', '>', after.createdAt), eb.and([eb('u.created_at', '=', after.createdAt), eb('u.sub', '>', after.sub)])]));
    }
    return (await q.orderBy('u.created_at').orderBy('u.sub').limit(limit).execute()).map((r) => r.sub);
  }
}
