import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../errors/oauth-error.ts';

/** An OAuth request's parameters, each given at most once (RFC 6749 section 3.1). */
export type Params = ReadonlyMap<string, string>;

/** Longest value a parameter may have: far above any legitimate state, nonce, URI or code, far below the body limit. */
const MAX_VALUE = 4096;
const MAX_PARAMS = 64;

function collect(pairs: Iterable<[string, string]>): Params {
  const params = new Map<string, string>();
  for (const [name, value] of pairs) {
    if (params.has(name)) throw new OAuthError('invalid_request', `Parameter ${name} was given more than once.`);
    if (value.length > MAX_VALUE) throw new OAuthError('invalid_request', `Parameter ${name} is too long.`);
    if (params.size >= MAX_PARAMS) throw new OAuthError('invalid_request', 'Too many parameters.');
    params.set(name, value);
  }
  return params;
}

const queries = new WeakMap<FastifyRequest, Params>();
const forms = new WeakMap<FastifyRequest, Params>();

/** The query string's parameters. */
export function queryOf(req: FastifyRequest): Params {
  let params = queries.get(req);
  if (!params) {
    const at = req.url.indexOf('?');
    params = collect(new URLSearchParams(at < 0 ? '' : req.url.slice(at + 1)));
    queries.set(req, params);
  }
  return params;
}

/**
 * A form-encoded body's parameters (RFC 6749 section 3.2: the token endpoint
 * takes application/x-www-form-urlencoded, UTF-8). Another content type or
 * bytes that are not UTF-8 are an invalid_request.
 */
export function formOf(req: FastifyRequest): Params {
  let params = forms.get(req);
  if (params) return params;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new OAuthError('invalid_request', 'The body is not UTF-8.');
  }
  params = collect(new URLSearchParams(text));
  forms.set(req, params);
  return params;
}

/** The form's parameters, or none when the body is not a form: for a route's names() and redact(), which must not throw. */
export function formOrEmpty(req: FastifyRequest): Params {
  try {
    return formOf(req);
  } catch {
    return new Map();
  }
}

export function queryOrEmpty(req: FastifyRequest): Params {
  try {
    return queryOf(req);
  } catch {
    return new Map();
  }
}
