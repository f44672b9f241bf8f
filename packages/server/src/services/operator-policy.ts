import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.ts';
import type { OperatorCaller } from '../context.ts';
import { poolArn, regionOfPoolId } from '../domain/regions.ts';
import { evaluate, parseGuardrail, parsePolicy, type PolicyDocument } from '../domain/iam-policy.ts';
import { Errors } from '../errors/cognito-error.ts';

// Operator access control (issue 6). Every signed call is checked against
// (1) the server-wide guardrail, a deny-only document the operator sets with
// --guardrail-policy, which nothing overrides, like an organization's service
// control policies; then (2) the key: full access (the first-start key), or
// its attached policy under IAM's logic, where no policy means no access.

/** IAM's outcomes, with a guardrail's deny told apart so the message can name it. */
export type PolicyDecision = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny' | 'GuardrailDeny';
/** The policy decision for an authenticated key, the action, the resource (an ARN or `*`) and the caller's source IP. */
export type OperatorPolicy = (caller: OperatorCaller, action: string, resource: string, sourceIp: string) => Promise<PolicyDecision>;

/** Reads and checks the guardrail file; a bad one stops the server from starting. */
export function loadGuardrail(path: string | null): PolicyDocument | null {
  if (path === null) return null;
  return parseGuardrail(readFileSync(path, 'utf8'));
}

/** The policy hook backed by the keys' stored policies (read with the key when the call was authenticated). */
export function keyPolicies(guardrail: PolicyDocument | null): OperatorPolicy {
  return async (caller, action, resource, sourceIp) => {
    const request = { action, resource, sourceIp };
    if (guardrail && evaluate([guardrail], request) === 'ExplicitDeny') return 'GuardrailDeny';
    const grant = caller.grant;
    if (grant.fullAccess) return 'Allow';
    if (grant.policy === null) return 'ImplicitDeny';
    let policy: PolicyDocument;
    try {
      policy = parsePolicy(grant.policy);
    } catch {
      // Checked when attached; a document that no longer parses grants nothing.
      return 'ImplicitDeny';
    }
    return evaluate([policy], request);
  };
}

/**
 * The resource an operator call acts on: its pool's ARN, the ARN it names
 * (tag operations), or `*`. The ARN's region is the call's, as IAM builds it
 * from the endpoint called; for a pool of that region it is the pool's real
 * ARN, and a pool of another region is answered not found after the check.
 */
export function operatorResource(config: Pick<Config, 'accountId'>, caller: Pick<OperatorCaller, 'region'>, input: object): string {
  const { UserPoolId: poolId, ResourceArn: arn } = input as { UserPoolId?: unknown; ResourceArn?: unknown };
  if (typeof poolId === 'string') return poolArn(config.accountId, poolId, caller.region);
  return typeof arn === 'string' ? arn : '*';
}

/**
 * A signed call naming a pool of another region answers as that region's
 * endpoint would: the pool does not exist there. Decided from the ID alone,
 * which tells the caller nothing it did not send.
 */
export function requirePoolOfCallRegion(caller: Pick<OperatorCaller, 'region'>, input: object): void {
  const { UserPoolId: poolId } = input as { UserPoolId?: unknown };
  if (typeof poolId === 'string' && regionOfPoolId(poolId) !== caller.region) throw Errors.ResourceNotFound(`User pool ${poolId} does not exist.`);
}

// IAM's wording of each kind of denial (IAM User Guide, "Troubleshoot access
// denied error messages"); the guardrail plays the service control policy.
function denial(caller: OperatorCaller, action: string, resource: string, decision: Exclude<PolicyDecision, 'Allow'>): string {
  const head = `User: ${caller.accessKeyId} is not authorized to perform: ${action} on resource: ${resource}`;
  if (decision === 'GuardrailDeny') return `${head} with an explicit deny in a service control policy`;
  if (decision === 'ExplicitDeny') return `${head} with an explicit deny in an identity-based policy`;
  return `${head} because no identity-based policy allows the ${action} action`;
}

async function require(policy: OperatorPolicy, caller: OperatorCaller, action: string, resource: string, sourceIp: string): Promise<void> {
  const decision = await policy(caller, action, resource, sourceIp);
  if (decision !== 'Allow') throw Errors.AccessDenied(denial(caller, action, resource, decision));
}

/** Operations that, with --deletion-requires-confirmation, also need `cognate:ConfirmDeletion` on the resource. */
const CONFIRMED_DELETIONS = new Set(['cognito-idp:DeleteUserPool', 'cognito-idp:DeleteUserPoolClient']);

/**
 * Throws AccessDeniedException unless the key may perform the action on the
 * resource from its source address. With --deletion-requires-confirmation,
 * deleting a pool or an app client takes a second, separately granted action,
 * so a key made to manage pools cannot also destroy them by accident.
 */
export async function authorizeOperator(
  policy: OperatorPolicy,
  config: Pick<Config, 'deletionRequiresConfirmation'>,
  caller: OperatorCaller,
  action: string,
  resource: string,
  sourceIp: string,
): Promise<void> {
  await require(policy, caller, action, resource, sourceIp);
  if (config.deletionRequiresConfirmation && CONFIRMED_DELETIONS.has(action)) await require(policy, caller, 'cognate:ConfirmDeletion', resource, sourceIp);
}
