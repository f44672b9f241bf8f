import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../errors/cognito-error.ts';
import type { Context, Deps, RequestMeta } from '../context.ts';
import { authenticateOperator } from '../cognito-api/operator-auth.ts';
import { sendError, sendResult } from '../aws-json/reply.ts';
import { discover } from '../services/discover.ts';
import { noteAuditContext } from '../audit/note.ts';
import { authorizeOperator, operatorResource, requirePoolOfCallRegion, type OperatorPolicy } from '../services/operator-policy.ts';
import type { CognateOperation } from './operation.ts';
import { validate } from './schema.ts';

/** The X-Amz-Target prefix of Cognate's own operations, kept apart from Cognito's namespace. */
export const COGNATE_PREFIX = 'CognateService.';

let loaded: Promise<Map<string, CognateOperation>> | undefined;

/** Every operation file in operations/, loaded once: adding an operation is adding a file. */
export function cognateOperations(): Promise<Map<string, CognateOperation>> {
  loaded ??= discover<CognateOperation>(new URL('./operations/', import.meta.url)).then((found) => {
    const ops = new Map<string, CognateOperation>();
    for (const { file, value: op } of found) {
      if (`${op.name}.ts` !== file) throw new Error(`cognate-api/operations/${file} must default-export the operation named after the file`);
      ops.set(op.name, op);
    }
    return ops;
  });
  return loaded;
}

// The same JSON 1.1 protocol and order of checks as the Cognito namespace
// (cognito-api/protocol.ts): target, operator signature over the raw bytes,
// body, validation, policy, handler. The policy action is `cognate:<Operation>`
// on the pool's ARN, so a policy can grant Cognito's actions without these.
export async function handleCognateCall(req: FastifyRequest, reply: FastifyReply, deps: Deps, policy: OperatorPolicy, target: string): Promise<FastifyReply> {
  const op = (await cognateOperations()).get(target.slice(COGNATE_PREFIX.length));
  if (!op) return sendError(reply, Errors.UnknownOperation(''), true);

  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const request: RequestMeta = { requestId: req.id, sourceIp: req.ip, userAgent: String(req.headers['user-agent'] ?? '') };
  const caller = await authenticateOperator(
    { method: req.method, url: req.url, headers: req.headers, rawBody: raw },
    { store: deps.store, master: deps.master, regions: deps.config.regions, now: deps.clock.now() },
  );
  const ctx: Context<'operator'> = { ...deps, request, caller, afterSuccess: [] };
  noteAuditContext(req, ctx);

  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return sendError(reply, Errors.Serialization(''), true);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendError(reply, Errors.Serialization(''), true);
  const input = validate(op.schema, body as Record<string, unknown>);

  await authorizeOperator(policy, deps.config, caller, `cognate:${op.name}`, operatorResource(deps.config, caller, input as object), request.sourceIp);
  requirePoolOfCallRegion(caller, input as object);

  const result = await op.handle(input as never, ctx);
  for (const task of ctx.afterSuccess) task().catch((err: Error) => deps.log.warn({ reqId: req.id, err: err.message }, 'after-success task failed'));
  return sendResult(reply, result);
}
