import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { MasterKey } from '../crypto/master-key.ts';
import { safeEqual } from '../crypto/master-key.ts';
import { isRegionName, serves } from '../domain/regions.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { OperatorCaller } from '../context.ts';
import type { Store } from '../store/store.ts';

export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

const SKEW_MS = 15 * 60 * 1000;
const AUTH_PREFIX = 'AWS4-HMAC-SHA256 ';

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function header(req: SignedRequest, name: string): string | undefined {
  if (!Object.hasOwn(req.headers, name)) return undefined;
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

// Recomputes the request's AWS Signature Version 4 with the stored secret of
// the access key it names, as AWS does, and answers each failure with the
// error AWS gives for it.
// Opening the sealed secret and setting up a signer were a third of a
// signed call's verification; both depend only on the key's row, so they are
// kept per sealed secret (a key's secret never changes; its status is read
// from the database on every call).
const signers = new Map<string, SignatureV4>();
const MAX_SIGNERS = 1000;

function signerFor(accessKeyId: string, sealed: string, region: string, master: MasterKey): SignatureV4 {
  const id = `${region}\n${accessKeyId}\n${sealed}`;
  let signer = signers.get(id);
  if (signer === undefined) {
    const secretAccessKey = master.open('access-key', accessKeyId, sealed).toString('utf8');
    signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region,
      service: 'cognito-idp',
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: true,
      applyChecksum: false,
    });
    if (signers.size >= MAX_SIGNERS) signers.clear();
    signers.set(id, signer);
  }
  return signer;
}

export async function authenticateOperator(
  req: SignedRequest,
  deps: { store: Store; master: MasterKey; regions: readonly string[] | null; now: number },
): Promise<OperatorCaller> {
  const authorization = header(req, 'authorization');
  if (!authorization) throw Errors.MissingAuthenticationToken('Missing Authentication Token');
  if (!authorization.startsWith(AUTH_PREFIX)) {
    throw Errors.IncompleteSignature(`Authorization header requires 'Credential' parameter. Authorization=${authorization}`);
  }
  const parts = new Map<string, string>();
  for (const piece of authorization.slice(AUTH_PREFIX.length).split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0)
      throw Errors.IncompleteSignature(`'${piece.trim()}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
    parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  const dateHeader = header(req, 'x-amz-date');
  const missing = [
    credential ? '' : "Authorization header requires 'Credential' parameter.",
    signature ? '' : "Authorization header requires 'Signature' parameter.",
    signedHeaders ? '' : "Authorization header requires 'SignedHeaders' parameter.",
    dateHeader ? '' : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
  ].filter(Boolean);
  if (missing.length) throw Errors.IncompleteSignature(`${missing.join(' ')} Authorization=${authorization}`);

  const [accessKeyId, scopeDate, region, service, terminator] = credential!.split('/');
  if (!accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request') {
    throw Errors.IncompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  if (service !== 'cognito-idp') throw Errors.InvalidSignature("Credential should be scoped to correct service: 'cognito-idp'.");
  // Every region is served on this one endpoint; a name that is no region is
  // refused as AWS refuses it, and a region left out of --regions as AWS
  // answers a call in a region the account has not enabled (the key is not
  // valid there), named so the operator can tell why.
  if (!isRegionName(region)) throw Errors.InvalidSignature(`Credential should be scoped to a valid region, not '${region}'.`);
  if (!serves(deps.regions, region)) {
    throw Errors.UnrecognizedClient(`The security token included in the request is invalid: region ${region} is not served by this endpoint.`);
  }

  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(dateHeader!);
  if (!m) throw Errors.IncompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${dateHeader}'.`);
  const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (!dateHeader!.startsWith(scopeDate))
    throw Errors.InvalidSignature('Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.');
  if (signedAt < deps.now - SKEW_MS) {
    throw Errors.InvalidSignature(`Signature expired: ${dateHeader} is now earlier than ${amzDate(deps.now - SKEW_MS)} (${amzDate(deps.now)} - 15 min.)`);
  }
  if (signedAt > deps.now + SKEW_MS) {
    throw Errors.InvalidSignature(
      `Signature not yet current: ${dateHeader} is still later than ${amzDate(deps.now + SKEW_MS)} (${amzDate(deps.now)} + 15 min.)`,
    );
  }

  const found = await deps.store.keyPolicies.keyWithGrant(accessKeyId);
  if (found?.key.status !== 'Active') throw Errors.UnrecognizedClient('The security token included in the request is invalid.');

  // A client may sign a declared payload hash; it must be the body's real hash.
  const bodyHash = createHash('sha256').update(req.rawBody).digest('hex');
  const declared = header(req, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== bodyHash) throw Errors.InvalidSignature(SIGNATURE_MISMATCH);

  // Signed header names: lower-case tokens in sorted order, and always the
  // host and the operation, so a signature cannot be replayed against another
  // operation with the same body.
  const names = signedHeaders!.split(';');
  const wellFormed = names.every((n, i) => /^[a-z0-9-]+$/.test(n) && (i === 0 || names[i - 1]! < n));
  if (!wellFormed || !names.includes('host') || !names.includes('x-amz-target')) throw Errors.InvalidSignature(SIGNATURE_MISMATCH);
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = header(req, name);
    if (value !== undefined) headers[name] = value;
  }
  const url = new URL(req.url, 'http://placeholder');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const request = new HttpRequest({ method: req.method, hostname: 'placeholder', path: url.pathname, query, headers, body: req.rawBody });
  const signer = signerFor(found.key.access_key_id, found.key.secret_sealed, region, deps.master);
  let recomputed: string;
  try {
    const signed = await signer.sign(request, { signingDate: new Date(signedAt), signableHeaders: new Set(names), unsignableHeaders: new Set() });
    recomputed = String(signed.headers['authorization']);
  } catch {
    throw Errors.InvalidSignature(SIGNATURE_MISMATCH);
  }
  const expected = /Signature=([0-9a-f]+)/.exec(recomputed)?.[1] ?? '';
  const expectedHeaders = /SignedHeaders=([^,]+)/.exec(recomputed)?.[1] ?? '';
  if (expectedHeaders !== signedHeaders || !safeEqual(expected, signature!)) throw Errors.InvalidSignature(SIGNATURE_MISMATCH);
  return { kind: 'operator', accessKeyId, region, grant: found.grant };
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
