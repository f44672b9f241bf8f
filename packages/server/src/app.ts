import { mkdirSync } from 'node:fs';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import { MasterKey } from './crypto/master-key.ts';
import { chooseMasterKey } from './crypto/master-key-file.ts';
import { attachDataKeys, previousMasterKey } from './crypto/data-keys.ts';
import { CognitoError, Errors } from './errors/cognito-error.ts';
import { sendError } from './aws-json/reply.ts';
import { AwsJsonRouter } from './aws-json/router.ts';
import { cognitoApi } from './cognito-api/api.ts';
import { cognateApi } from './cognate-api/api.ts';
import type { Deps } from './context.ts';
import { registerHsts, tlsMaterial } from './http/tls.ts';
import { registerWellKnown } from './http/well-known.ts';
import { registerOAuth } from './oauth/register.ts';
import { sendPageError } from './hosted-ui/error-page.ts';
import { trustProxyOption } from './http/ip-lists.ts';
import { registerProtection } from './http/protection.ts';
import { registerAudit } from './http/audit.ts';
import { Metrics, registerMetrics } from './http/metrics.ts';
import { DatabaseFaultReporter } from './http/database-faults.ts';
import { registerReadiness } from './http/readiness.ts';
import { routeOf } from './http/routes.ts';
import { asOAuthError } from './http/oauth-errors.ts';
import { sendOAuthError } from './errors/oauth-error.ts';
import { databaseFault, faultMessage } from './store/database-errors.ts';
import { startAuditPruning } from './audit/retention.ts';
import { ensureOperatorKey, type OperatorCredentials } from './services/bootstrap.ts';
import { keyPolicies, loadGuardrail, type OperatorPolicy } from './services/operator-policy.ts';
import { verifyMasterKeyCheck } from './services/master-key-check.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { cryptoIds, type Ids } from './services/ids.ts';
import { startLifecycleJobs } from './services/lifecycle.ts';
import { startSigningKeyRotation } from './services/signing-key-rotation.ts';
import { Mailer } from './services/mailer.ts';
import { TokenService } from './services/tokens.ts';
import { openDatabase } from './store/open.ts';
import { AUDIT_KEYED_MIGRATION, AuditStore } from './store/audit.ts';
import { optimizeSqlite, startSqliteStatistics } from './store/sqlite-statistics.ts';
import { Store } from './store/store.ts';
import { FunctionMap } from './triggers/function-map.ts';
import { Functions } from './triggers/functions.ts';

export interface AppOptions {
  clock?: Clock;
  ids?: Ids;
  /** Base64 of 32 bytes; otherwise `<dataDir>/master.key`, created on first start. */
  masterKey?: string | undefined;
  policy?: OperatorPolicy;
  /** Where log lines go (default stdout): tests read them to prove no secret is logged. */
  logStream?: NodeJS.WritableStream;
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: Deps;
  /** Set on the first start of a data directory: the operator key just made. */
  createdCredentials: OperatorCredentials | null;
  /** Writes the audit records still queued for group commit (audit/queue.ts); close() does it too. */
  flushAudit(): Promise<void>;
}

/** Longest a client may take to send a whole request, body included (a body is at most --body-limit, 256 KiB by default). */
const REQUEST_TIMEOUT_MS = 60_000;

// Builds the whole server without listening: main() listens, tests either
// inject requests or listen on port 0.
export async function buildApp(config: Config, options: AppOptions = {}): Promise<BuiltApp> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? cryptoIds;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { key: master } = MasterKey.loadOrCreate(config.dataDir, chooseMasterKey(config, options.masterKey));
  // SQLite in the data directory, or PostgreSQL when --database-url is set; migrated either way.
  // HTTPS material first: a bad certificate path is a configuration error, reported before anything opens.
  const tls = await tlsMaterial(config);
  // The functions file likewise: its mistakes are configuration errors (triggers/function-map.ts).
  const functionMap = config.functionsFile ? FunctionMap.load(config.functionsFile) : FunctionMap.empty();
  // Broken PostgreSQL connections are reported once the logger exists (below); until then there is nothing to tell.
  let connectionError = (_err: Error): void => undefined;
  const { db, kind, applied } = await openDatabase(config, (err) => connectionError(err));
  // A node with another master key than the database's first start is refused before it serves or seals anything.
  // Then the data keys (envelope encryption, crypto/data-keys.ts) are unwrapped once: they seal and open every secret.
  await verifyMasterKeyCheck(db, master, clock.now())
    .then(() => attachDataKeys(db, master, previousMasterKey(config, options.masterKey), clock.now()))
    // The audit chain just keyed (migration 023): its state is MACed now, in the process that upgraded it.
    .then(() => (applied.includes(AUDIT_KEYED_MIGRATION) ? new AuditStore(db, master).sealUpgrade() : undefined))
    .catch(async (err: unknown) => {
      await db.destroy();
      throw err;
    });
  // PostgreSQL: a transaction past --database-timeout rolls back (store/deadline.ts).
  const store = new Store(db, master, undefined, kind === 'postgres' ? config.databaseTimeoutSeconds * 1000 : null);
  if (kind === 'sqlite') await optimizeSqlite(db);

  // Slow clients are bounded (--headers-timeout): headers within that time,
  // the whole request (headers and body) within REQUEST_TIMEOUT_MS, both
  // counted from the request's first byte; idle keep-alive connections between
  // requests and the time a handler takes do not count. Node checks every
  // connectionsCheckingInterval (30 s by default, which would let a slow
  // client stay that much longer), so every second here.
  const headersTimeout = config.headersTimeoutSeconds * 1000;
  const requestTimeout = Math.max(REQUEST_TIMEOUT_MS, headersTimeout);
  const slowClients = { headersTimeout, requestTimeout, connectionsCheckingInterval: 1000 };
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Request bodies are never logged: they carry passwords, codes and tokens.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: config.bodyLimitBytes,
    // Fastify sets the server's requestTimeout after creating it: given here too, or it would be 0 (none).
    requestTimeout,
    ...(tls ? { https: { ...tls, ...slowClients } } : { http: slowClients }),
    genReqId: () => ids.uuid(),
    requestIdHeader: false,
    // X-Forwarded-For is believed only from --trusted-proxies: req.ip is then the client's address everywhere (http/ip-lists.ts).
    trustProxy: trustProxyOption(config.trustedProxies),
    // http/audit.ts writes the access log: one line per request with operation, outcome and duration.
    disableRequestLogging: true,
  });
  const mailer = new Mailer({ store, master, clock, ids, log: app.log, smtpUrl: config.smtpUrl, defaultFrom: config.mailFrom });
  const tokens = new TokenService({ config, store, master, clock, ids });
  const functions = new Functions(functionMap, {
    lambdaEndpoint: config.lambdaEndpoint,
    region: config.region,
  });
  const deps: Deps = { config, store, master, clock, ids, tokens, mailer, functions, log: app.log };

  const createdCredentials = await ensureOperatorKey({ store, master, ids, now: clock.now(), dataDir: config.dataDir });

  // Browsers call Cognito cross-origin (Amplify, amazon-cognito-identity-js).
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'OPTIONS'],
    exposedHeaders: ['x-amzn-requestid', 'x-amzn-errortype', 'x-amzn-errormessage', 'date'],
    maxAge: 86400,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-amzn-requestid', req.id);
    // The server's own clock: SDKs correct their signing-clock skew from it.
    reply.header('date', new Date(clock.now()).toUTCString());
  });
  // The AWS-JSON front door (aws-json/router.ts): one registration per API
  // spoken on POST /. Operator calls meet the guardrail, then each key's
  // policy (services/operator-policy.ts). The target is resolved here, before
  // the audit and protection hooks that read it.
  const router = new AwsJsonRouter(deps, options.policy ?? keyPolicies(loadGuardrail(config.guardrailPolicy)));
  await router.register(cognitoApi);
  await router.register(cognateApi);
  router.resolveEarly(app);
  // Audit trail, access log and metrics for every call, before any route exists (http/audit.ts).
  const metrics = new Metrics();
  const faults = new DatabaseFaultReporter(app.log, metrics);
  connectionError = (err) => faults.connection(err);
  const auditQueue = await registerAudit(app, deps, metrics);
  registerMetrics(app, metrics, config.metricsToken);
  // IP rules and rate limits, after the audit hooks so refused requests are recorded too (http/protection.ts).
  await registerProtection(app, deps);
  app.setErrorHandler((err, req, reply) => {
    // OAuth endpoints and other described routes answer in their own shape (http/routes.ts).
    const described = routeOf(req)?.errors;
    if (described === 'oauth') return sendOAuthError(reply, asOAuthError(err, req, faults));
    if (described === 'page') return sendPageError(reply, asOAuthError(err, req, faults));
    if (err instanceof CognitoError) return sendError(reply, err);
    const fastifyError = err as { code?: string; statusCode?: number };
    // Two writers racing for the same username: the database's unique index decides, and the loser hears what Cognito says.
    if (fastifyError.code === 'SQLITE_CONSTRAINT_UNIQUE' || fastifyError.code === '23505')
      return sendError(reply, Errors.UsernameExists('User already exists'));
    // A row the request refers to (a pool, client or user) was deleted while
    // it ran, on another node or between its read and its write; the write
    // failed whole. Logged too (code and the constraint's message, no values):
    // a bug writing a wrong reference would look the same to the caller.
    if (fastifyError.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || fastifyError.code === '23503') {
      req.log.warn({ code: fastifyError.code, message: (err as Error).message }, 'foreign-key violation answered ResourceNotFoundException');
      return sendError(reply, Errors.ResourceNotFound('The resource this request refers to was deleted while it ran.'));
    }
    // The database is down, slow, full, read-only or locked: Cognito's internal error, saying which (store/database-errors.ts).
    const fault = databaseFault(err);
    if (fault) {
      faults.request(fault.kind, fault.detail, req.id);
      return sendError(reply, new CognitoError('InternalErrorException', faultMessage(fault.kind), 500));
    }
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, Errors.RequestEntityTooLarge('Request body too large.'));
    if (fastifyError.statusCode && fastifyError.statusCode < 500) return sendError(reply, Errors.Serialization(''), true);
    req.log.error({ err }, 'unexpected error');
    return sendError(reply, Errors.Internal());
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, Errors.UnknownOperation(''), true).code(404));

  if (tls) registerHsts(app);
  // Liveness and readiness (http/readiness.ts).
  app.get('/health', async () => ({ status: 'ok' }));
  registerReadiness(app, db, kind, metrics);
  registerWellKnown(app, deps);
  // The managed-login pages call the user-pool API's public operations (SignUp, ForgotPassword…) in-process.
  await registerOAuth(app, deps, (name, input, ctx) => router.invokePublic(cognitoApi.targetPrefix, name, input, ctx));
  router.route(app);

  // Deletes archived users past their pool's retention (services/lifecycle.ts).
  const lifecycleJobs = startLifecycleJobs({ store, clock, log: app.log }, config.purgeIntervalSeconds * 1000);
  // Rotates signing keys past --signing-key-rotation-days (services/signing-key-rotation.ts), checked as often as the purge.
  const keyRotation = startSigningKeyRotation({ store, master, clock, log: app.log }, config.signingKeyRotationDays, config.purgeIntervalSeconds * 1000);
  const auditPruning = startAuditPruning({ store, master, clock, log: app.log }, config.auditRetentionDays, config.purgeIntervalSeconds * 1000);
  // Keeps SQLite's planner statistics current (store/sqlite-statistics.ts); PostgreSQL's autovacuum does it there.
  const statistics = kind === 'sqlite' ? startSqliteStatistics(db, app.log) : null;
  // Sends mail a killed process committed but never delivered (services/mailer.ts).
  mailer.resumeInterrupted();

  app.addHook('onClose', async () => {
    await lifecycleJobs.stop();
    await keyRotation.stop();
    await auditPruning.stop();
    await statistics?.stop();
    mailer.close();
    await functions.close();
    // The last audit records go in before the store closes.
    await auditQueue.flush(true);
    // The database is still away: what could not be written is reported as lost, not kept waiting for ever.
    auditQueue.abandon(new Error('the database was unavailable at shutdown'));
    await store.close();
  });
  return { app, deps, createdCredentials, flushAudit: () => auditQueue.flush(true) };
}
