import type { FastifyInstance } from 'fastify';
import { bodyOf, callOf } from '../aws-json/call.ts';
import type { Deps } from '../context.ts';
import { Errors } from '../errors/cognito-error.ts';
import { isChallengeAnswer } from '../services/quota-categories.ts';
import { IpRules } from './ip-lists.ts';
import { routeOf, safeNames } from './routes.ts';
import type { QuotaCategory } from '../services/quota-categories.ts';

// The seed's WAF and IP-restriction practices (docs/security.md), as two
// fastify hooks in front of the API:
//
// onRequest, before the body is read: the server's own IP rules
// (--ip-allow / --ip-deny) and the per-IP rate limit (--rate-limit-per-ip).
// preHandler, before the operation runs: the IP rules of the pool and app
// client the request names (SetIpRules), then the per-pool limit of the
// operation's Cognito quota category (--rate-limits). Pool and client rules
// apply, like a web ACL on a Cognito user pool, to the public and
// access-token operations only (the developer guide, "Associating an AWS WAF
// web ACL with a user pool": requests authorized with AWS credentials are out
// of its scope); operator calls are bounded by the server's lists and by
// their keys' policies (aws:SourceIp), and cannot lock the operator out.
//
// The client address is fastify's req.ip, which --trusted-proxies governs
// (app.ts, ip-lists.ts trustProxyOption): the same address the auth events,
// policies' aws:SourceIp and the audit trail see. Counters live in the
// database, so every node on it shares them. The operation and its input are
// the ones the AWS-JSON router resolved and parsed (aws-json/call.ts).

/** Cognito's words when a web ACL blocks a request (HTTP 403). */
export const BLOCKED_MESSAGE = 'Request not allowed due to WAF block.';
/** Cognito's words for a throttled request. */
export const THROTTLED_MESSAGE = 'Rate exceeded';

/** Largest access token looked into for its pool and client: Cognito's are well under this. */
const MAX_TOKEN_CHARS = 16_384;

export async function registerProtection(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config, store, clock } = deps;
  const serverRules = new IpRules(config.ipAllow, config.ipDeny);
  const windowMs = config.rateLimitWindowSeconds * 1000;
  const limits = config.rateLimits;
  const categoryLimits = Object.keys(limits).length > 0;

  app.addHook('onRequest', async (req) => {
    if (!serverRules.empty && !serverRules.permits(req.ip)) throw Errors.Forbidden(BLOCKED_MESSAGE);
    // Probes are not callers: a load balancer's /health and /ready must not count, or
    // write to a database that may be away (a liveness probe failing for it would restart the node).
    if (config.rateLimitPerIp > 0 && req.url !== '/health' && req.url !== '/ready') {
      const key = `ip:${addressKey(req.ip)}`;
      const counts = await store.protection.hit([key], windowMs, clock.now());
      if ((counts.get(key) ?? 0) > config.rateLimitPerIp) throw Errors.TooManyRequests(THROTTLED_MESSAGE);
    }
  });

  /** The pool's and client's IP rules (not for operator calls), then the pool's limit of the category. */
  const guard = async (
    req: { ip: string },
    operator: boolean,
    operation: string,
    category: QuotaCategory | null,
    names: () => { poolId: string | null; clientId: string | null },
  ) => {
    const checkRules = !operator && (await store.protection.anyIpRules());
    if (!checkRules && (!categoryLimits || category === null)) return;
    const named = names();
    let poolId = named.poolId;
    if (!poolId && named.clientId) poolId = await store.protection.poolOfClient(named.clientId);

    const targets = checkRules ? [poolId, named.clientId].filter((t): t is string => typeof t === 'string') : [];
    for (const row of await store.protection.ipRules(targets)) {
      const rules = new IpRules(JSON.parse(row.allow_cidrs) as string[], JSON.parse(row.deny_cidrs) as string[]);
      if (!rules.permits(req.ip)) throw Errors.Forbidden(BLOCKED_MESSAGE);
    }

    if (!categoryLimits || category === null) return;
    const base = limits[category];
    if (base === undefined) return;
    // Challenge answers get three times the sign-in budget, counted apart (Cognito's special handling).
    const [bucket, limit] = isChallengeAnswer(operation) ? ['UserAuthenticationChallenge', base * 3] : [category, base];
    const key = `cat:${bucket}:${poolId ?? '*'}`;
    const counts = await store.protection.hit([key], windowMs, clock.now());
    if ((counts.get(key) ?? 0) > limit) throw Errors.TooManyRequests(THROTTLED_MESSAGE);
  };

  app.addHook('preHandler', async (req) => {
    // A route that describes itself (OAuth endpoints, hosted pages): its own names and category.
    const route = routeOf(req);
    if (route) return guard(req, false, route.operation, route.quotaCategory, () => safeNames(req, route));
    if (req.method !== 'POST' || req.routeOptions.url !== '/') return;
    const call = callOf(req);
    // An unknown target or a body that is not a JSON object: the router answers it.
    if (!call?.api || call.name === null) return;
    const { api, name: operation } = call;
    // Signed operator operations; every operation of an operator-only API (CognateService) is one, known or not.
    const operator = api.operatorOnly || call.operation?.auth === 'operator';
    return guard(req, operator, operation, api.quotaCategory(operation), () => {
      const body = bodyOf(req);
      return namedResources(body.ok ? body.value : null, api.inputMembers(operation));
    });
  });

  if (config.rateLimitPerIp > 0 || categoryLimits) {
    // Old windows restart at 1 on their next hit anyway; dropping them keeps the table to the active keys.
    const timer = setInterval(
      () => void store.protection.purgeCounters(clock.now() - windowMs).catch((err: Error) => deps.log.warn({ err: err.message }, 'rate counter purge failed')),
      Math.max(60_000, windowMs * 10),
    );
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
}

/**
 * The pool and app client a request is about, from its input: UserPoolId,
 * ClientId, a tag operation's pool ARN, or the claims of its access token.
 * The token is read unverified, which is safe here: it only selects which
 * rules and counters apply, and a forged token fails verification right
 * after, in the router (aws-json/router.ts).
 */
function namedResources(input: Record<string, unknown> | null, members: ReadonlySet<string> | null): { poolId: string | null; clientId: string | null } {
  if (input === null) return { poolId: null, clientId: null };
  // Only members of the operation's input count: the router's validation ignores
  // any other, so an added `UserPoolId` must not choose (or dodge) the rules
  // and counters of a pool the request does not act on.
  const i = Object.fromEntries(Object.entries(input).filter(([k]) => members === null || members.has(k)));
  const claims = typeof i['AccessToken'] === 'string' ? unverifiedClaims(i['AccessToken']) : {};
  const arnPool = typeof i['ResourceArn'] === 'string' ? /:userpool\/([\w-]+_[0-9a-zA-Z]+)$/.exec(i['ResourceArn'])?.[1] : undefined;
  const issPool = typeof claims['iss'] === 'string' ? /\/([\w-]+_[0-9a-zA-Z]+)$/.exec(claims['iss'])?.[1] : undefined;
  const poolId = typeof i['UserPoolId'] === 'string' ? i['UserPoolId'] : (arnPool ?? issPool ?? null);
  const clientId = typeof i['ClientId'] === 'string' ? i['ClientId'] : typeof claims['client_id'] === 'string' ? claims['client_id'] : null;
  return { poolId, clientId };
}

function unverifiedClaims(token: string): Record<string, unknown> {
  if (token.length > MAX_TOKEN_CHARS) return {};
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The per-IP counter key: the address itself for IPv4, its /64 network for
 * IPv6, since one host is routinely given a whole /64 and could otherwise
 * step around the limit by changing addresses.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${all
    .slice(0, 4)
    .map((g) => g.padStart(4, '0'))
    .join(':')}::/64`;
}
