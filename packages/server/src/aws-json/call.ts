import type { FastifyRequest } from 'fastify';
import type { AwsJsonApi, ApiOperation, ParsedBody, ResolvedCall } from './api.ts';

// The per-request state the router computes once and everyone else reads:
// the resolved target (router.ts sets it in an onRequest hook) and the parsed
// body (parsed on first use, after Fastify has read it). Kept in WeakMaps so
// they need no request decoration and go away with the request.

const calls = new WeakMap<FastifyRequest, ResolvedCall>();
const bodies = new WeakMap<FastifyRequest, ParsedBody>();

const header = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Resolves a target against the registered APIs: longest matching prefix first is not needed, prefixes end in a dot. */
export function resolveTarget(target: string | null, apis: ReadonlyArray<{ api: AwsJsonApi; operations: ReadonlyMap<string, ApiOperation> }>): ResolvedCall {
  if (target !== null) {
    for (const { api, operations } of apis) {
      const prefix = `${api.targetPrefix}.`;
      if (!target.startsWith(prefix)) continue;
      const name = target.slice(prefix.length);
      return { target, api, name, operation: operations.get(name) ?? null };
    }
  }
  return { target, api: null, name: null, operation: null };
}

export function noteCall(req: FastifyRequest, apis: Parameters<typeof resolveTarget>[1]): ResolvedCall {
  const call = resolveTarget(header(req.headers['x-amz-target']), apis);
  calls.set(req, call);
  return call;
}

/** The call the router resolved for this request (undefined before its onRequest hook, or for a request it did not see). */
export const callOf = (req: FastifyRequest): ResolvedCall | undefined => calls.get(req);

/** The request body as a JSON object, parsed once (UTF-8, strictly). */
export function bodyOf(req: FastifyRequest): ParsedBody {
  let parsed = bodies.get(req);
  if (parsed) return parsed;
  parsed = { ok: false };
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsed = { ok: true, value: value as Record<string, unknown> };
  } catch {
    // stays { ok: false }
  }
  // Not remembered before Fastify has read the body: a hook that runs earlier must not fix "no body" for good.
  if (req.body !== undefined) bodies.set(req, parsed);
  return parsed;
}
