import type { FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';

// The one thing the AWS-JSON router hands the audit hook (http/audit.ts): the
// operation's context, whose `caller` is filled in as authentication
// succeeds. Kept in a WeakMap so it needs no request decoration and goes
// away with the request.
const contexts = new WeakMap<FastifyRequest, Context>();

export function noteAuditContext(req: FastifyRequest, ctx: Context): void {
  contexts.set(req, ctx);
}

export function auditContextOf(req: FastifyRequest): Context | undefined {
  return contexts.get(req);
}
