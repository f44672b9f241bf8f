import type { Config } from '../config/schema.ts';
import type { AuthMode, Context, Deps, OperatorCaller } from '../context.ts';
import type { CognitoError } from '../errors/cognito-error.ts';
import type { QuotaCategory } from '../services/quota-categories.ts';

// What an API spoken on the AWS-JSON front door (POST /, X-Amz-Target)
// declares about itself. The router (router.ts) does the rest, the same way
// for every API: resolve the target, parse and validate the body, authenticate
// by the operation's declared mode, authorize, handle, reply. Adding an API is
// a folder exporting one of these and one registration in app.ts.

/** One operation: its name (as in X-Amz-Target), how callers authenticate, its handler. */
export interface ApiOperation {
  name: string;
  auth: AuthMode;
  handle(input: never, ctx: never): Promise<object>;
}

export interface AwsJsonApi {
  /** The X-Amz-Target prefix, without the dot: `AWSCognitoIdentityProviderService`. */
  targetPrefix: string;
  /** The IAM action prefix (`cognito-idp:<Operation>`), also the service named in the audit trail and metrics. */
  service: string;
  /** Every operation of this API is a signed operator call, even a name it does not know (rate limits and IP rules treat it so). */
  operatorOnly: boolean;
  /** The operations, loaded once at registration. */
  loadOperations(): Promise<ReadonlyMap<string, ApiOperation>>;
  /** The answer to a target of this API that names no operation Cognate has: the error, and whether it goes without a message. */
  unknownOperation(name: string): { error: CognitoError; omitMessage: boolean };
  /** Checks a parsed body (a JSON object) against the API's model; returns the handler's input. Throws the API's validation errors. */
  validate(operation: ApiOperation, body: Record<string, unknown>): unknown;
  /** The input members that may name the call's pool and client (for IP rules and rate limits), or null for every member. */
  inputMembers(operation: string): ReadonlySet<string> | null;
  /** The resource an operator call acts on, for the policy: a pool's ARN, the ARN it names, or `*`. */
  resource(config: Pick<Config, 'accountId'>, caller: OperatorCaller, input: object): string;
  /** The request's parameters as the audit trail may keep them (secrets redacted). */
  redact(operation: string, body: Record<string, unknown>): unknown;
  /** The Cognito quota category the operation's calls count against. */
  quotaCategory(operation: string): QuotaCategory;
  /** Runs after the handler, with its result (null: it threw, not for a database fault): e.g. recording auth events. */
  afterCall?(deps: Deps, ctx: Context, result: object | null): Promise<void>;
}

/** What the router resolved from a request's X-Amz-Target, once, before anything else looks at it. */
export interface ResolvedCall {
  /** The header as sent (null when absent or repeated). */
  target: string | null;
  /** The API whose prefix the target carries, if any. */
  api: AwsJsonApi | null;
  /** The operation name after the prefix (null when no API's prefix matched). */
  name: string | null;
  /** The operation Cognate has under that name, if any. */
  operation: ApiOperation | null;
}

/** A body parsed once: a JSON object, or not (invalid UTF-8, not JSON, not an object, no body). */
export type ParsedBody = { ok: true; value: Record<string, unknown> } | { ok: false };
