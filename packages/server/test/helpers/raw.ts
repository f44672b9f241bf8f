import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A raw Cognito JSON 1.1 call: for what the SDK would refuse to send. */
export async function rawCall(url: string, target: string | null, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(target === null ? {} : { 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Signs a call with SigV4 as the SDK would, with the given key, secret and date. */
export async function signedCall(
  url: string,
  target: string,
  input: object,
  creds: { accessKeyId: string; secretAccessKey: string },
  opts: { date?: Date; region?: string; service?: string; signTarget?: boolean; tamper?: (h: Record<string, string>, body: string) => string } = {},
): Promise<RawResponse> {
  const u = new URL(url);
  let body = JSON.stringify(input);
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    headers: {
      host: u.host,
      'content-type': 'application/x-amz-json-1.1',
      ...(opts.signTarget === false ? {} : { 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` }),
    },
    body,
  });
  const signer = new SignatureV4({
    credentials: creds,
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'cognito-idp',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(request, { signingDate: opts.date ?? new Date() });
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers['host'];
  headers['x-amz-target'] = `AWSCognitoIdentityProviderService.${target}`;
  if (opts.tamper) body = opts.tamper(headers, body);
  return rawCall(url, null, body, headers);
}
