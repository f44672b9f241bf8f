import type { FastifyRequest } from 'fastify';
import { noteAuditContext } from '../audit/note.ts';
import type { Context, Deps } from '../context.ts';

// The Context a request runs with, built one way for every front door (the
// AWS-JSON router, the OAuth token endpoint, the managed-login pages), and
// noted for the audit trail; and the work it queued for after success.

/** A request's context, caller public until authentication says otherwise. */
export function requestContext(deps: Deps, req: FastifyRequest, extra: Pick<Context, 'hostedSignIn'> = {}): Context {
  const ctx: Context = {
    ...deps,
    request: { requestId: req.id, sourceIp: req.ip, userAgent: String(req.headers['user-agent'] ?? '') },
    caller: { kind: 'public' },
    afterSuccess: [],
    ...extra,
  };
  noteAuditContext(req, ctx);
  return ctx;
}

/** Starts the committed operation's side effects (mail and SMS handed on); a failure is logged, never the caller's. */
export function runAfterSuccess(ctx: Context): void {
  for (const task of ctx.afterSuccess)
    task().catch((err: Error) => ctx.log.warn({ reqId: ctx.request.requestId, err: err.message }, 'after-success task failed'));
}
