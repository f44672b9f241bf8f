import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../errors/cognito-error.ts';
import { validateInput, model } from './model/validate.ts';
import type { Context, Deps, RequestMeta, UserCaller } from '../context.ts';
import type { Operation } from './operation.ts';
import { recordAuthEvent } from '../services/auth-events.ts';
import { discover } from '../services/discover.ts';
import { authenticateOperator } from './operator-auth.ts';
import { authorizeOperator, operatorResource, requirePoolOfCallRegion, type OperatorPolicy } from '../services/operator-policy.ts';
import { sendError, sendResult } from '../aws-json/reply.ts';
import { noteAuditContext } from '../audit/note.ts';
import { databaseFault } from '../store/database-errors.ts';

const PREFIX = `${model.metadata.targetPrefix}.`;

/** Loads every operation file in operations/: adding an operation is adding a file. */
export async function loadOperations(): Promise<Map<string, Operation>> {
  const ops = new Map<string, Operation>();
  for (const { file, value: op } of await discover<Operation>(new URL('./operations/', import.meta.url))) {
    if (`${op.name}.ts` !== file) throw new Error(`operations/${file} must default-export the operation named after the file`);
    if (!model.operations[op.name]) throw new Error(`operations/${file}: ${op.name} is not in the Cognito API model`);
    ops.set(op.name, op);
  }
  return ops;
}

// The Cognito JSON 1.1 protocol: POST / with X-Amz-Target naming the operation.
// Order of checks, as AWS's front end does them: target, then the signature
// of operator calls (over the raw bytes), then the body (UTF-8, a JSON object)
// and model validation, then the access token of access-token calls.
export async function handleCognitoCall(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: Deps,
  ops: Map<string, Operation>,
  policy: OperatorPolicy,
  target: string | string[] | undefined,
): Promise<FastifyReply> {
  if (typeof target !== 'string' || !target.startsWith(PREFIX)) {
    return sendError(reply, Errors.UnknownOperation(''), true);
  }
  const name = target.slice(PREFIX.length);
  const op = ops.get(name);
  if (!op) {
    // An operation of Cognito's API that Cognate lacks says so, so a caller
    // can tell "not built yet" from a typo; the type stays the one AWS
    // answers an unknown target with, which every SDK maps to its generic
    // service exception. A name outside the model keeps the bare answer.
    if (Object.hasOwn(model.operations, name)) return sendError(reply, Errors.UnknownOperation(`Cognate does not implement ${name} yet.`));
    return sendError(reply, Errors.UnknownOperation(''), true);
  }

  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const request: RequestMeta = { requestId: req.id, sourceIp: req.ip, userAgent: String(req.headers['user-agent'] ?? '') };
  const ctx: Context = { ...deps, request, caller: { kind: 'public' }, afterSuccess: [] };
  noteAuditContext(req, ctx);
  if (op.auth === 'operator') {
    ctx.caller = await authenticateOperator(
      { method: req.method, url: req.url, headers: req.headers, rawBody: raw },
      { store: deps.store, master: deps.master, regions: deps.config.regions, now: deps.clock.now() },
    );
  }

  let input: unknown;
  try {
    input = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return sendError(reply, Errors.Serialization(''), true);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return sendError(reply, Errors.Serialization(''), true);
  validateInput(model, op.name, input);

  if (ctx.caller.kind === 'operator') {
    // The pool's ARN, the ARN a tag operation names, or `*`; checked against the key's policy and the guardrail.
    await authorizeOperator(policy, deps.config, ctx.caller, `cognito-idp:${op.name}`, operatorResource(deps.config, ctx.caller, input), request.sourceIp);
    requirePoolOfCallRegion(ctx.caller, input);
  } else if (op.auth === 'accessToken') {
    const token = (input as { AccessToken?: unknown }).AccessToken;
    if (typeof token !== 'string') throw Errors.NotAuthorized('Invalid Access Token');
    const verified = await deps.tokens.verifyAccess(token);
    ctx.caller = { kind: 'user', ...verified } satisfies UserCaller;
  }

  let result: object;
  try {
    result = await op.handle(input as never, ctx as never);
  } catch (err) {
    // A database that just failed the operation would fail (or, SQLite
    // locked, stall another busy timeout on) the event's write too.
    if (!databaseFault(err)) await recordAuthEvent(deps, ctx, null);
    throw err;
  }
  await recordAuthEvent(deps, ctx, result);
  for (const task of ctx.afterSuccess) task().catch((err: Error) => deps.log.warn({ reqId: req.id, err: err.message }, 'after-success task failed'));
  return sendResult(reply, result);
}
