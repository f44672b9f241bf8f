import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RawResponse } from './raw.ts';

/**
 * A CognateService.<operation> call, signed with SigV4 (service cognito-idp)
 * exactly as the SDK signs Cognito's operator calls. `date` is the signing
 * time: pass the server's (fake) clock. Null credentials send it unsigned.
 */
export async function cognateCall(
  url: string,
  operation: string,
  input: object | string,
  creds: { accessKeyId: string; secretAccessKey: string } | null,
  opts: { date?: Date; region?: string } = {},
): Promise<RawResponse> {
  const u = new URL(url);
  const body = typeof input === 'string' ? input : JSON.stringify(input);
  let headers: Record<string, string> = { host: u.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `CognateService.${operation}` };
  if (creds) {
    const request = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/', headers, body });
    const signer = new SignatureV4({ credentials: creds, region: opts.region ?? 'us-east-1', service: 'cognito-idp', sha256: Hash.bind(null, 'sha256') });
    headers = { ...((await signer.sign(request, { signingDate: opts.date ?? new Date() })).headers as Record<string, string>) };
  }
  delete headers['host'];
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
