import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

// A client that starts a request and sends its headers slowly, or not at all
// (slowloris), must not hold a connection for long: --headers-timeout bounds
// it. The bound is 1 s here to keep the tests fast; the default's wiring is
// checked on the server's own settings.

/** Opens a raw TCP connection to the server, writes `first`, and collects what comes back until the server closes it. */
function rawConnection(url: string, first: string): { socket: Socket; closed: Promise<{ afterMs: number; received: string }> } {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
  const start = performance.now();
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.write(first);
  const closed = new Promise<{ afterMs: number; received: string }>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', () => resolve({ afterMs: performance.now() - start, received }));
  });
  return { socket, closed };
}

describe('slow clients (--headers-timeout)', () => {
  let c: Running;
  before(async () => {
    c = await startCognate({ config: { headersTimeoutSeconds: 1 } });
  });
  after(() => c.stop());

  it('closes a connection that sends half a request line and then nothing, within the bound', async () => {
    const { socket, closed } = rawConnection(c.url, 'POST / HTT');
    // Without the bound the socket stays open for good; give up (and fail) well before 95 s.
    const guard = setTimeout(() => socket.destroy(new Error('still open after 20 s')), 20_000);
    const { afterMs, received } = await closed.finally(() => clearTimeout(guard));
    assert.ok(afterMs >= 900, `closed after ${Math.round(afterMs)} ms: not before the bound`);
    assert.ok(afterMs < 4000, `closed after ${Math.round(afterMs)} ms: within the bound plus Node's one-second check`);
    assert.match(received, /^HTTP\/1\.1 408 /, 'Node answers 408 Request Timeout before closing');
  });

  it('closes a connection whose headers trickle in a byte at a time past the bound', async () => {
    const { socket, closed } = rawConnection(c.url, 'P');
    const rest = 'OST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n';
    const trickle = (async () => {
      for (const ch of rest) {
        if (socket.destroyed) return;
        socket.write(ch);
        await sleep(100);
      }
    })();
    const guard = setTimeout(() => socket.destroy(new Error('still open after 20 s')), 20_000);
    const { afterMs } = await closed.finally(() => clearTimeout(guard));
    await trickle;
    assert.ok(afterMs < 4000, `closed after ${Math.round(afterMs)} ms although a byte came every 100 ms`);
  });

  it('answers a request whose body arrives slowly after complete headers, past the headers bound', async () => {
    const body = JSON.stringify({ ClientId: 'abc', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'u', PASSWORD: 'p' } });
    const head = `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
    const { socket, closed } = rawConnection(c.url, head);
    const chunks = body.match(/.{1,16}/g)!;
    for (const chunk of chunks) {
      await sleep(2000 / chunks.length);
      socket.write(chunk);
    }
    const { afterMs, received } = await closed;
    assert.ok(afterMs > 1500, 'the body took longer than the headers bound');
    assert.match(received, /^HTTP\/1\.1 400 /);
    assert.match(received, /ResourceNotFoundException/, 'the operation ran: the unknown client was looked up');
  });

  it('keeps an SDK keep-alive connection usable while it idles longer than the bound', async () => {
    let connections = 0;
    const count = () => connections++;
    c.app.server.on('connection', count);
    try {
      await c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      await sleep(2500);
      await c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    } finally {
      c.app.server.off('connection', count);
    }
    assert.ok(connections <= 1, `the SDK reused its connection (${connections} opened)`);
  });
});

describe('slow clients: the defaults', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  it('gives a client 10 s for its headers and 60 s for its whole request, checked every second', () => {
    assert.equal(c.deps.config.headersTimeoutSeconds, 10);
    assert.equal(c.app.server.headersTimeout, 10_000);
    assert.equal(c.app.server.requestTimeout, 60_000);
    // Node's default check interval is 30 s, which would let a slow client stay 30 s past the bound.
    assert.equal((c.app.server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval, 1000);
  });
});
