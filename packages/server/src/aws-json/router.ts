import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context, Deps, UserCaller } from '../context.ts';
import { Errors } from '../errors/cognito-error.ts';
import { authenticateOperator } from '../cognito-api/operator-auth.ts';
import { authorizeOperator, requirePoolOfCallRegion, type OperatorPolicy } from '../services/operator-policy.ts';
import { requestContext, runAfterSuccess } from '../http/request-context.ts';
import { databaseFault } from '../store/database-errors.ts';
import type { ApiOperation, AwsJsonApi } from './api.ts';
import { bodyOf, callOf, noteCall } from './call.ts';
import { sendError, sendResult } from './reply.ts';

// The AWS-JSON front door: POST / carries every AWS JSON 1.1 API Cognate
// speaks, X-Amz-Target naming the API by its prefix and the operation after
// it. One pipeline for all of them, in the order AWS's front end checks:
// target, then the signature of operator calls (over the raw bytes), then the
// body (UTF-8, a JSON object) and the API's model, then the access token of
// access-token calls, then the operator's policy; then the handler and the
// answer. The target is resolved once, in an onRequest hook, and the body
// parsed once (call.ts): the audit trail, metrics, IP rules and rate limits
// read them from there.

interface Registered {
  api: AwsJsonApi;
  operations: ReadonlyMap<string, ApiOperation>;
}

export class AwsJsonRouter {
  private readonly apis: Registered[] = [];

  constructor(
    private readonly deps: Deps,
    private readonly policy: OperatorPolicy,
  ) {}

  /** Adds an API: its operations are loaded once, here. */
  async register(api: AwsJsonApi): Promise<void> {
    if (this.apis.some((r) => r.api.targetPrefix === api.targetPrefix)) throw new Error(`an API with target prefix ${api.targetPrefix} is registered already`);
    this.apis.push({ api, operations: await api.loadOperations() });
  }

  /** Resolves every POST's target before any other hook runs that needs it (audit, protection). */
  resolveEarly(app: FastifyInstance): void {
    app.addHook('onRequest', async (req) => {
      if (req.method === 'POST') noteCall(req, this.apis);
    });
  }

  /** The route itself: POST /. */
  route(app: FastifyInstance): void {
    app.post('/', async (req: FastifyRequest, reply: FastifyReply) => this.handle(req, reply));
  }

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { deps, policy } = this;
    const call = callOf(req) ?? noteCall(req, this.apis);
    const { api, name } = call;
    // No API's prefix (or no target at all): the bare answer AWS gives an unknown target.
    if (!api || name === null) return sendError(reply, Errors.UnknownOperation(''), true);
    const op = call.operation;
    if (!op) {
      const { error, omitMessage } = api.unknownOperation(name);
      return sendError(reply, error, omitMessage);
    }

    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ctx = requestContext(deps, req);
    const { request } = ctx;
    if (op.auth === 'operator') {
      ctx.caller = await authenticateOperator(
        { method: req.method, url: req.url, headers: req.headers, rawBody: raw },
        { store: deps.store, master: deps.master, regions: deps.config.regions, now: deps.clock.now() },
      );
    }

    const body = bodyOf(req);
    if (!body.ok) return sendError(reply, Errors.Serialization(''), true);
    const input = api.validate(op, body.value) as object;

    if (ctx.caller.kind === 'operator') {
      // The pool's ARN, the ARN a tag operation names, or `*`; checked against the key's policy and the guardrail.
      await authorizeOperator(policy, deps.config, ctx.caller, `${api.service}:${op.name}`, api.resource(deps.config, ctx.caller, input), request.sourceIp);
      requirePoolOfCallRegion(ctx.caller, input);
    } else if (op.auth === 'accessToken') {
      const token = (input as { AccessToken?: unknown }).AccessToken;
      if (typeof token !== 'string') throw Errors.NotAuthorized('Invalid Access Token');
      const verified = await deps.tokens.verifyAccess(token);
      ctx.caller = { kind: 'user', ...verified } satisfies UserCaller;
    }

    return sendResult(reply, await this.run(api, op, input, ctx));
  }

  /**
   * A public operation called in-process, as the managed-login pages call
   * SignUp or ForgotPassword: the same model validation, handler, auth-event
   * record and after-success work as over HTTP, with the page's request as
   * the context. Returns the operation's result or throws its CognitoError.
   */
  async invokePublic(targetPrefix: string, name: string, input: Record<string, unknown>, ctx: Context): Promise<object> {
    const registered = this.apis.find((r) => r.api.targetPrefix === targetPrefix);
    const op = registered?.operations.get(name);
    if (!registered || !op || op.auth !== 'public') throw new Error(`${targetPrefix}.${name} is not a public operation`);
    return this.run(registered.api, op, registered.api.validate(op, input) as object, ctx);
  }

  private async run(api: AwsJsonApi, op: ApiOperation, input: object, ctx: Context): Promise<object> {
    const { deps } = this;
    let result: object;
    // ClientMetadata, in every operation that has it, only feeds Lambda triggers: it travels on the context to them.
    const metadata = (input as { ClientMetadata?: Record<string, string> }).ClientMetadata;
    if (metadata) ctx.clientMetadata = metadata;
    try {
      result = await op.handle(input as never, ctx as never);
    } catch (err) {
      // A database that just failed the operation would fail (or, SQLite
      // locked, stall another busy timeout on) the event's write too.
      if (api.afterCall && !databaseFault(err)) await api.afterCall(deps, ctx, null);
      throw err;
    }
    if (api.afterCall) await api.afterCall(deps, ctx, result);
    runAfterSuccess(ctx);
    return result;
  }
}
