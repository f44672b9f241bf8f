// Test helpers: a real SMTP server that catches Cognate's mail, and a static
// file server for the built frontend.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { SMTPServer } from 'smtp-server';

interface Mail {
  to: string[];
  raw: string;
}

/** An SMTP server on a free loopback port that keeps every message it receives. */
export class Inbox {
  private readonly messages: Mail[] = [];
  private readonly read = new Map<string, number>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Waits for the next unread message to `address` and returns the six-digit code in it. */
  async nextCode(address: string, ms = 15_000): Promise<string> {
    const key = address.toLowerCase();
    const deadline = Date.now() + ms;
    for (;;) {
      const mine = this.messages.filter((m) => m.to.includes(key));
      const seen = this.read.get(key) ?? 0;
      const mail = mine[seen];
      if (mail) {
        this.read.set(key, seen + 1);
        const code = /\b(\d{6})\b/.exec(bodyOf(mail.raw))?.[1];
        if (!code) throw new Error(`No code in the mail to ${address}:\n${mail.raw}`);
        return code;
      }
      if (Date.now() > deadline) throw new Error(`No new mail for ${address} within ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The message text after the headers, quoted-printable decoded. */
function bodyOf(raw: string): string {
  const i = raw.indexOf('\r\n\r\n');
  const body = (i >= 0 ? raw.slice(i + 4) : raw).replace(/=\r?\n/g, '');
  return body.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serves `dir` on a free port; unknown paths get index.html, as a single-page app needs. */
export async function serveStatic(dir: string): Promise<{ origin: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
