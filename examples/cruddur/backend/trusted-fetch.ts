// A fetch for GET requests that trusts one extra certificate: Cognate's
// self-signed one in development. Node's global fetch takes no CA option
// (NODE_EXTRA_CA_CERTS is read only when the process starts, before the dev
// script or the test has the certificate), so the JWKS request goes through
// node:https with `ca` instead. Deployed against Cognito or a Cognate with a
// real certificate, the API uses the global fetch.
import { request } from 'node:https';

export function fetchTrusting(ca: string): typeof globalThis.fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (url.protocol !== 'https:' || (init?.method ?? 'GET') !== 'GET') {
        reject(new TypeError(`fetchTrusting: only https GET, not ${init?.method ?? 'GET'} ${url.protocol}`));
        return;
      }
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req = request(url, { ca, headers, ...(init?.signal ? { signal: init.signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
            else if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502, headers: responseHeaders }));
        });
      });
      req.on('error', reject);
      req.end();
    });
}
