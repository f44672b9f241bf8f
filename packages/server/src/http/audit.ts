import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditContextOf } from '../audit/note.ts';
import { bodyOf, callOf } from '../aws-json/call.ts';
import type { AwsJsonApi } from '../aws-json/api.ts';
import type { AuthMode, Deps } from '../context.ts';
import type { AuditEntry } from '../store/audit.ts';
import { poolArn, regionOfPoolId } from '../domain/regions.ts';
import { AUDIT_QUEUE_DEFAULTS, AuditQueue } from '../audit/queue.ts';
import type { Metrics } from './metrics.ts';
import { routeOf, safeNames, type RouteDescription } from './routes.ts';

// Every API call (every POST) leaves an audit record, a line in the access
// log and a tick in the metrics, whether it succeeded, failed in its
// handler, or was refused before it (unknown operation, bad signature,
// malformed body, validation). The record is made in onSend and queued for
// group commit (audit/queue.ts): it is written within a few milliseconds,
// in a batch with the records of other calls, not before the answer leaves;
// the log line and metrics follow in onResponse with the full duration.
// Nothing here reads a secret into a record, a log line or a label: the
// parameters pass through audit/redact.ts, labels are operation and
// exception names only. The operation and the parameters are the ones the
// AWS-JSON router resolved and parsed (aws-json/call.ts), not read again.

const SIGN_IN_OPERATIONS = new Set(['InitiateAuth', 'AdminInitiateAuth', 'RespondToAuthChallenge', 'AdminRespondToAuthChallenge']);
const REFRESH_FLOWS = new Set(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);
const LOCKED_OUT = encodeURIComponent('Password attempts exceeded');
const MAX_ID = 128;

interface AuthAnswer {
  AuthenticationResult?: Record<string, unknown>;
  ChallengeName?: unknown;
}

interface Tracked {
  startNs: bigint;
  time: number;
  call?: { service: string; operation: string; outcome: 'success' | 'failure'; errorCode: string | null };
}

// NUL is refused by PostgreSQL's text columns (and means nothing in a name): dropped before a value reaches a record.
const clip = (s: string, n = MAX_ID): string => (s.length > n ? s.slice(0, n) : s).replaceAll('\u0000', '');
const str = (v: unknown): string | null => (typeof v === 'string' ? clip(v) : null);
const header = (v: unknown): string | null => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null);

function safeParams(req: FastifyRequest, route: RouteDescription): string | null {
  try {
    return JSON.stringify(route.redact(req));
  } catch {
    return null;
  }
}

/** Returns the queue of records not yet written: `flush()` writes them (tests, shutdown). */
export async function registerAudit(app: FastifyInstance, deps: Deps, metrics: Metrics): Promise<AuditQueue> {
  const queue = new AuditQueue(deps.store, {
    ...AUDIT_QUEUE_DEFAULTS,
    // The operations have already happened; their answers stand. A failed
    // write is retried (audit/queue.ts); records given up are loud: an error
    // line and a counter per record.
    onFailure: (err, lost) => {
      if (lost === 0) return deps.log.warn({ err: err.message, queued: queue.pending }, 'audit records not written yet; retrying');
      metrics.auditFailures.inc(lost);
      deps.log.error({ err: err.message, records: lost }, 'audit records not written');
    },
  });
  const tracked = new WeakMap<FastifyRequest, Tracked>();

  // Which API and operation the router resolved the target to, and how its callers authenticate.
  const resolve = (req: FastifyRequest): { api: AwsJsonApi | null; service: string; operation: string; auth: AuthMode | null } => {
    const route = routeOf(req);
    if (route) return { api: null, service: route.service, operation: route.operation, auth: 'public' };
    const call = callOf(req);
    if (call?.api && call.operation) return { api: call.api, service: call.api.service, operation: call.operation.name, auth: call.operation.auth };
    // The name is caller-chosen: kept (clipped) so probing for operations shows up, but never used as a metric label.
    return { api: null, service: 'unknown', operation: clip(call?.target ?? header(req.headers['x-amz-target']) ?? '(no target)'), auth: null };
  };

  const entryFor = (req: FastifyRequest, reply: FastifyReply, time: number): { entry: AuditEntry; body: Record<string, unknown> | null } => {
    const { api, service, operation, auth } = resolve(req);
    const route = routeOf(req);
    const parsed = route ? null : bodyOf(req);
    const body = parsed?.ok ? parsed.value : null;
    const params = route ? safeParams(req, route) : body === null || api === null ? null : JSON.stringify(api.redact(operation, body));

    const ctx = auditContextOf(req);
    let callerKind = 'anonymous';
    let caller: string | null = null;
    const named = route ? safeNames(req, route) : undefined;
    let clientId = named ? named.clientId && clip(named.clientId) : str(body?.['ClientId']);
    let poolId = named ? named.poolId && clip(named.poolId) : str(body?.['UserPoolId']);
    if (ctx?.caller.kind === 'operator') {
      callerKind = 'operator';
      caller = ctx.caller.accessKeyId;
    } else if (ctx?.caller.kind === 'user') {
      callerKind = 'user';
      caller = ctx.caller.user.sub;
      clientId = ctx.caller.client.clientId;
      poolId = ctx.caller.pool.id;
    } else if (auth === 'operator' || (auth === null && req.headers.authorization)) {
      // Refused before the signature checked out: the key the request claims to be signed with.
      callerKind = 'operator';
      caller = /Credential=([^/,\s]+)\//.exec(header(req.headers.authorization) ?? '')?.[1] ?? null;
      if (caller) caller = clip(caller);
    } else if (auth === 'accessToken') {
      callerKind = 'user';
    } else if (clientId !== null) {
      callerKind = 'client';
      caller = clientId;
    }
    const arn = str(body?.['ResourceArn']);
    // The ARN carries the pool's own region; an ID too malformed to name one falls back to the default.
    const resource = poolId !== null ? poolArn(deps.config.accountId, poolId, regionOfPoolId(poolId) || deps.config.region) : (arn ?? clientId);
    const status = reply.statusCode;
    // AWS-JSON answers name their exception in a header; other routes are known by their status.
    const errorCode = status >= 400 ? (header(reply.getHeader('x-amzn-errortype')) ?? `HTTP${status}`) : null;
    return {
      body,
      entry: {
        time,
        request_id: req.id,
        service,
        operation,
        resource,
        caller_kind: callerKind,
        caller,
        client_id: clientId,
        source_ip: req.ip,
        user_agent: clip(String(req.headers['user-agent'] ?? ''), 512),
        params,
        outcome: status < 400 ? 'success' : 'failure',
        error_code: errorCode,
        status,
      },
    };
  };

  // Sign-ins, lockouts and tokens issued, read off the answer: no service had to be changed to count them.
  const countAuth = (reply: FastifyReply, entry: AuditEntry, body: Record<string, unknown> | null, payload: unknown): void => {
    if (entry.service !== 'cognito-idp') return;
    if (entry.outcome === 'failure' && header(reply.getHeader('x-amzn-errormessage')) === LOCKED_OUT) metrics.lockouts.inc();
    let result = null as AuthAnswer | null;
    if (entry.outcome === 'success' && (Buffer.isBuffer(payload) || typeof payload === 'string')) {
      const text = payload.toString();
      if (text.includes('"AuthenticationResult"') || text.includes('"ChallengeName"')) {
        try {
          result = JSON.parse(text) as AuthAnswer;
        } catch {
          result = null;
        }
      }
    }
    const tokens = result?.AuthenticationResult;
    if (tokens) {
      if (tokens['AccessToken']) metrics.tokensIssued.inc({ token_use: 'access' });
      if (tokens['IdToken']) metrics.tokensIssued.inc({ token_use: 'id' });
      if (tokens['RefreshToken']) metrics.tokensIssued.inc({ token_use: 'refresh' });
    }
    if (!SIGN_IN_OPERATIONS.has(entry.operation) || REFRESH_FLOWS.has(String(body?.['AuthFlow']))) return;
    if (entry.outcome === 'failure') metrics.signIns.inc({ outcome: 'failure' });
    else if (tokens) metrics.signIns.inc({ outcome: 'success' });
    else if (result?.ChallengeName) metrics.signIns.inc({ outcome: 'challenge' });
  };

  app.addHook('onRequest', async (req) => {
    tracked.set(req, { startNs: process.hrtime.bigint(), time: deps.clock.now() });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    // Calls of the AWS-JSON front door, and routes that describe themselves as calls (http/routes.ts).
    if (req.method !== 'POST' && !routeOf(req)) return payload;
    const t = tracked.get(req);
    const { entry, body } = entryFor(req, reply, t?.time ?? deps.clock.now());
    if (t) t.call = { service: entry.service, operation: entry.operation, outcome: entry.outcome, errorCode: entry.error_code };
    // Back-pressure: only when the queue is full does the answer wait for a flush.
    const full = queue.add(entry);
    if (full) await full;
    countAuth(reply, entry, body, payload);
    return payload;
  });

  // The access log: one line per request, replacing Fastify's own pair of lines.
  app.addHook('onResponse', async (req, reply) => {
    const t = tracked.get(req);
    const durationMs = t ? Number(process.hrtime.bigint() - t.startNs) / 1e6 : undefined;
    const call = t?.call;
    if (call) {
      // Unknown operations share one label, so a caller cannot mint new time series.
      const operation = call.service === 'unknown' ? 'unknown' : call.operation;
      metrics.requests.inc({ service: call.service, operation, outcome: call.outcome, error_code: call.errorCode ?? '' });
      if (durationMs !== undefined) metrics.duration.observe({ service: call.service, operation, outcome: call.outcome }, durationMs / 1000);
    }
    req.log.info(
      {
        method: req.method,
        path: req.url.split('?')[0],
        statusCode: reply.statusCode,
        ...(call
          ? { service: call.service, operation: call.service === 'unknown' ? 'unknown' : call.operation, outcome: call.outcome, errorCode: call.errorCode }
          : {}),
        durationMs: durationMs === undefined ? undefined : Math.round(durationMs * 1000) / 1000,
        sourceIp: req.ip,
      },
      'request',
    );
  });
  return queue;
}
