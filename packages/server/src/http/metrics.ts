import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { safeEqual } from '../crypto/master-key.ts';

// Prometheus metrics. One registry per app (tests run several servers in one
// process). Labels are bounded: operations are model names or "unknown",
// error codes are Cognito exception names. No label ever carries a user,
// client, key or value from a request body.
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'cognate_requests_total',
    help: 'API calls by service, operation, outcome and error code',
    labelNames: ['service', 'operation', 'outcome', 'error_code'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'cognate_request_duration_seconds',
    help: 'API call latency by service, operation and outcome',
    labelNames: ['service', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly signIns = new Counter({
    name: 'cognate_sign_ins_total',
    help: 'Sign-in calls (InitiateAuth, RespondToAuthChallenge and their Admin forms, refresh excluded) by outcome: success (tokens issued), challenge (another step follows), failure',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly lockouts = new Counter({
    name: 'cognate_lockouts_total',
    help: 'Calls refused because the user is locked out after too many failed passwords',
    registers: [this.registry],
  });
  readonly tokensIssued = new Counter({
    name: 'cognate_tokens_issued_total',
    help: 'Tokens issued, by kind (access, id, refresh)',
    labelNames: ['token_use'] as const,
    registers: [this.registry],
  });
  readonly databaseFaults = new Counter({
    name: 'cognate_database_faults_total',
    help: 'API calls answered InternalErrorException because of the database, by kind (unavailable, timeout, full, read-only, locked, io)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly databaseConnectionErrors = new Counter({
    name: 'cognate_database_connection_errors_total',
    help: 'PostgreSQL connections that broke (server stopped or failed over, network) and were discarded',
    registers: [this.registry],
  });
  readonly databaseReady = new Gauge({
    name: 'cognate_database_ready',
    help: 'Whether the last readiness check (GET /ready) reached the database: 1 or 0',
    registers: [this.registry],
  });
  readonly auditFailures = new Counter({
    name: 'cognate_audit_write_failures_total',
    help: 'API calls whose audit record could not be written',
    registers: [this.registry],
  });
}

/**
 * GET /metrics, behind a bearer token. Without a configured token the route
 * does not exist (404): operation counts describe traffic and are not for
 * anonymous callers.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token: string | null): void {
  if (token === null) return;
  app.get('/metrics', async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !safeEqual(auth.slice('Bearer '.length), token)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="cognate-metrics"').send({ message: 'Unauthorized' });
    }
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
