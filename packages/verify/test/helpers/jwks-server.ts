import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 serving a JWKS that a test can change,
 * slow down or break, and that counts the requests it gets.
 */
export class JwksServer {
  doc: unknown = { keys: [] };
  requests = 0;
  /** Milliseconds to wait before answering. */
  delayMs = 0;
  /** Answer with this instead of the JWKS. */
  override: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests++;
      const answer = () => {
        if (this.override) return this.override(req, res);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(this.doc));
      };
      if (this.delayMs > 0) setTimeout(answer, this.delayMs);
      else answer();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** The issuer whose `<issuer>/.well-known/jwks.json` this server answers (any path works). */
  issuer(poolId = 'us-east-1_Local0001'): string {
    return `${this.url}/${poolId}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
