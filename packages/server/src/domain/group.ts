// User-pool groups as the rules see them, and the token claims they yield.

export interface Group {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  /** 0 is the highest precedence; null ranks after every number. */
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

export type GroupPatch = Partial<Pick<Group, 'description' | 'roleArn' | 'precedence'>>;

// Cognito's fixed (non-adjustable) quotas, developer guide "Quotas in Amazon
// Cognito", non-adjustable user pool resource quotas.
export const MAX_GROUPS_PER_POOL = 10_000;
export const MAX_GROUPS_PER_USER = 100;

/** Precedence ascending with null last, then name: the order of a user's groups everywhere. */
export function comparePrecedence(a: Pick<Group, 'precedence' | 'name'>, b: Pick<Group, 'precedence' | 'name'>): number {
  const pa = a.precedence ?? Number.POSITIVE_INFINITY;
  const pb = b.precedence ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export interface GroupClaims {
  'cognito:groups'?: string[];
  'cognito:roles'?: string[];
  'cognito:preferred_role'?: string;
}

/**
 * Claims from a user's groups (CreateGroup reference, Precedence; developer
 * guide "Adding groups to a user pool"):
 * - `cognito:groups` (access and ID token): every group's name, when there is any.
 * - `cognito:roles` (ID token): the role ARNs of those groups, each once.
 * - `cognito:preferred_role` (ID token): the role of the group with the lowest
 *   Precedence among groups that carry a role. Groups of equal precedence do
 *   not outrank one another: if the best-ranked ones disagree on the role
 *   there is no preferred role; if they share it, that role is preferred. A
 *   null Precedence ranks below any number (null ties with null).
 * Cognito does not document the order of `cognito:groups`; Cognate lists the
 * groups by precedence (then name), so the first entry is the group that
 * takes precedence, which is what AWS's own samples read it as.
 */
export function groupClaims(groups: readonly Group[]): { access: GroupClaims; id: GroupClaims } {
  if (groups.length === 0) return { access: {}, id: {} };
  const ordered = [...groups].sort(comparePrecedence);
  const names = ordered.map((g) => g.name);
  const withRole = ordered.filter((g): g is Group & { roleArn: string } => g.roleArn !== null);
  const roles = [...new Set(withRole.map((g) => g.roleArn))];
  const id: GroupClaims = { 'cognito:groups': names };
  if (roles.length > 0) {
    id['cognito:roles'] = roles;
    const top = withRole[0]!.precedence;
    const preferred = new Set(withRole.filter((g) => g.precedence === top).map((g) => g.roleArn));
    if (preferred.size === 1) id['cognito:preferred_role'] = [...preferred][0]!;
  }
  return { access: { 'cognito:groups': names }, id };
}
