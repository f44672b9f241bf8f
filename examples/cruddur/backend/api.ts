// The Cruddur API: one route, GET /api/activities/home, on node:http.
// As in the seed's Flask backend, a valid access token adds an activity; a
// missing or invalid one gets the public feed (and the reason in the log).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homeActivities } from './activities.ts';
import { createAccessTokenVerifier, type AccessTokenClaims } from './verify-token.ts';

export interface ApiOptions {
  /** Token issuer: `${cognitoEndpoint}/${userPoolId}`. */
  issuer: string;
  clientId: string;
  /** A certificate (PEM) to trust when fetching the pool's keys: Cognate's self-signed one in development. */
  ca?: string;
  /** The frontend's origin (scheme://host:port), the only one CORS lets in. */
  frontendOrigin: string;
  port: number;
  host?: string;
  log?: (line: string) => void;
}

export interface RunningApi {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** `Authorization: Bearer <token>` → the token, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

export async function startApi(options: ApiOptions): Promise<RunningApi> {
  const verify = createAccessTokenVerifier(options);
  const log = options.log ?? ((line: string) => console.log(line));

  const cors = (res: ServerResponse) => {
    // The browser calls us from another origin (the Vite server) and sends
    // the token in a header, so the preflight must allow Authorization.
    res.setHeader('Access-Control-Allow-Origin', options.frontendOrigin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    cors(res);
    const path = new URL(req.url ?? '/', 'http://api').pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (path === '/api/activities/home' && (req.method === 'GET' || req.method === 'HEAD')) {
      let claims: AccessTokenClaims | null = null;
      const token = bearerToken(req);
      if (token) {
        try {
          claims = await verify(token);
          log(`activities/home: authenticated ${claims.username ?? claims.sub}`);
        } catch (err) {
          // A VerifyError says why in a stable code: ERR_EXPIRED, ERR_TOKEN_USE...
          const code = (err as { code?: string }).code ?? 'error';
          log(`activities/home: unauthenticated (${code}: ${err instanceof Error ? err.message : String(err)})`);
        }
      }
      json(res, 200, homeActivities(claims ? claims.sub : null));
      return;
    }
    if (path === '/api/health') return json(res, 200, { success: true });
    json(res, 404, { error: 'Not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`error: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) json(res, 500, { error: 'Internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
