import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { generate } from 'selfsigned';
import { buildApp } from '../src/app.ts';
import { ConfigError } from '../src/errors/config-error.ts';
import { configFor } from '../src/config/load.ts';
import { selfSignedPaths } from '../src/http/tls.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Issue 6, "Transport": HTTPS with the operator's certificate (TLS 1.2 or
// later, HSTS), proven with the real AWS SDK v3 trusting a test CA, and the
// development certificate of --tls-self-signed.

/** A test CA and a server certificate for localhost signed by it. */
async function testPki(dir: string): Promise<{ ca: string; certFile: string; keyFile: string }> {
  const ca = await generate([{ name: 'commonName', value: 'Cognate Test CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  writeFileSync(certFile, server.cert);
  writeFileSync(keyFile, server.private, { mode: 0o600 });
  return { ca: ca.cert, certFile, keyFile };
}

const sdkTrusting = (c: Running, ca: string | null) =>
  new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: c.url,
    credentials: c.credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new Agent(ca ? { ca } : {}) }),
  });

function headers(url: string, ca: string): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      res.resume();
      resolve(res.headers);
    }).on('error', reject);
  });
}

/** The outcome of a TLS handshake limited to one protocol version. */
function handshake(port: number, ca: string, version: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'): Promise<string> {
  return new Promise((resolve) => {
    // SECLEVEL=0 lets this client offer TLS 1.1 at all: what is tested is the server's refusal.
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', ca, minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' },
      () => {
        const got = socket.getProtocol() ?? 'unknown';
        socket.end();
        resolve(got);
      },
    );
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(`error: ${err.code ?? err.message}`));
  });
}

describe('HTTPS with --tls-cert and --tls-key', () => {
  let dir: string;
  let pki: Awaited<ReturnType<typeof testPki>>;
  let c: Running;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognate-tls-'));
    pki = await testPki(dir);
    c = await startCognate({ config: { tlsCert: pki.certFile, tlsKey: pki.keyFile } });
  });
  after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the AWS SDK v3 over HTTPS when it trusts the test CA', async () => {
    assert.match(c.url, /^https:\/\/localhost:\d+$/);
    const sdk = sdkTrusting(c, pki.ca);
    try {
      const created = await sdk.send(new CreateUserPoolCommand({ PoolName: 'over-tls' }));
      const listed = await sdk.send(new ListUserPoolsCommand({ MaxResults: 10 }));
      assert.deepEqual(
        listed.UserPools!.map((p) => p.Id),
        [created.UserPool!.Id],
      );
    } finally {
      sdk.destroy();
    }
  });

  it('is refused by an SDK that does not trust the CA', async () => {
    const sdk = sdkTrusting(c, null);
    try {
      await assert.rejects(sdk.send(new ListUserPoolsCommand({ MaxResults: 10 })), (err: NodeJS.ErrnoException) => {
        assert.match(String(err.code ?? err.message), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/i);
        return true;
      });
    } finally {
      sdk.destroy();
    }
  });

  it('accepts TLS 1.2 and 1.3 and refuses TLS 1.1', async () => {
    const port = Number(new URL(c.url).port);
    assert.equal(await handshake(port, pki.ca, 'TLSv1.3'), 'TLSv1.3');
    assert.equal(await handshake(port, pki.ca, 'TLSv1.2'), 'TLSv1.2');
    // The server's protocol_version alert: it refuses the version (not the client failing on its own).
    assert.equal(await handshake(port, pki.ca, 'TLSv1.1'), 'error: ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('sends Strict-Transport-Security on every response', async () => {
    const h = await headers(`${c.url}/health`, pki.ca);
    assert.equal(h['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const jwks = await headers(`${c.url}/us-east-1_Missing123/.well-known/jwks.json`, pki.ca);
    assert.equal(jwks['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  });
});

describe('TLS configuration', () => {
  it('sends no HSTS over plain HTTP', async () => {
    const c = await startCognate();
    try {
      const res = await fetch(`${c.url}/health`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('strict-transport-security'), null);
    } finally {
      await c.stop();
    }
  });

  it('refuses half a certificate, a missing file, and --tls-self-signed together with a certificate', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cognate-tls-'));
    try {
      const base = { dataDir, port: 0, logLevel: 'silent' };
      await assert.rejects(buildApp(configFor({ ...base, tlsCert: join(dataDir, 'x.crt') })), {
        name: 'Error',
        message: /--tls-cert \/ --tls-key: give both, or neither/,
      });
      await assert.rejects(buildApp(configFor({ ...base, tlsCert: join(dataDir, 'x.crt'), tlsKey: join(dataDir, 'x.key') })), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /--tls-cert: cannot read .*x\.crt \(ENOENT\)/);
        return true;
      });
      await assert.rejects(
        buildApp(configFor({ ...base, tlsSelfSigned: true, tlsCert: join(dataDir, 'x.crt') })),
        /--tls-self-signed: do not combine with --tls-cert/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('HTTPS with --tls-self-signed', () => {
  it('makes a localhost certificate once, in the data directory, which the SDK can trust', async () => {
    const c = await startCognate({ config: { tlsSelfSigned: true } });
    try {
      const paths = selfSignedPaths(c.dataDir);
      const cert = readFileSync(paths.cert, 'utf8');
      assert.match(cert, /^-----BEGIN CERTIFICATE-----/);
      assert.equal(statSync(paths.bundle).mode & 0o777, 0o600, 'the private key is readable by its owner only');
      const sdk = sdkTrusting(c, cert);
      try {
        assert.deepEqual((await sdk.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools, []);
      } finally {
        sdk.destroy();
      }
      // A second start on the same data directory keeps the certificate clients already trust.
      const again = await buildApp(c.deps.config);
      await again.app.close();
      assert.equal(readFileSync(paths.cert, 'utf8'), cert);
    } finally {
      await c.stop();
    }
  });
});
