import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generate } from 'selfsigned';
import { ConfigError } from '../errors/config-error.ts';
import type { Config } from '../config/schema.ts';

// HTTPS. `--tls-cert`/`--tls-key` serve the operator's certificate;
// `--tls-self-signed` makes a development certificate for localhost once and
// keeps it in the data directory (clients trust it by its file, e.g.
// `aws --ca-bundle <data-dir>/tls/self-signed.crt`). TLS 1.2 is the oldest
// version accepted.

export interface TlsMaterial {
  key: string;
  cert: string;
  minVersion: 'TLSv1.2';
}

/** Where `--tls-self-signed` keeps its certificate (for clients to trust) and its key with the certificate (0600). */
export const selfSignedPaths = (dataDir: string) => ({ cert: join(dataDir, 'tls', 'self-signed.crt'), bundle: join(dataDir, 'tls', 'self-signed.pem') });

const pemBlock = (text: string, label: RegExp): string => {
  const m = new RegExp(`-----BEGIN (${label.source})-----[\\s\\S]+?-----END \\1-----\\n?`).exec(text);
  if (!m) throw new Error('Malformed self-signed certificate bundle');
  return m[0];
};

async function selfSigned(dataDir: string): Promise<{ key: string; cert: string }> {
  const paths = selfSignedPaths(dataDir);
  if (!existsSync(paths.bundle)) {
    const now = new Date();
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: new Date(now.getTime() + 365 * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    });
    mkdirSync(join(dataDir, 'tls'), { recursive: true, mode: 0o700 });
    // Workers starting together (--workers) must all serve one certificate: the first hard link wins, the others read it.
    const staging = `${paths.bundle}.${process.pid}`;
    writeFileSync(staging, pems.private + pems.cert, { mode: 0o600 });
    try {
      linkSync(staging, paths.bundle);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(staging, { force: true });
    }
  }
  const bundle = readFileSync(paths.bundle, 'utf8');
  const cert = pemBlock(bundle, /CERTIFICATE/);
  if (!existsSync(paths.cert) || readFileSync(paths.cert, 'utf8') !== cert) writeFileSync(paths.cert, cert, { mode: 0o644 });
  return { key: pemBlock(bundle, /(?:RSA |EC )?PRIVATE KEY/), cert };
}

/** The certificate and key to serve, or null for plain HTTP. */
export async function tlsMaterial(config: Pick<Config, 'tlsCert' | 'tlsKey' | 'tlsSelfSigned' | 'dataDir'>): Promise<TlsMaterial | null> {
  const { tlsCert, tlsKey, tlsSelfSigned } = config;
  if (tlsSelfSigned && (tlsCert || tlsKey)) throw new ConfigError(['--tls-self-signed: do not combine with --tls-cert / --tls-key']);
  if (tlsSelfSigned) return { ...(await selfSigned(config.dataDir)), minVersion: 'TLSv1.2' };
  if (!tlsCert && !tlsKey) return null;
  if (!tlsCert || !tlsKey) throw new ConfigError(['--tls-cert / --tls-key: give both, or neither']);
  const read = (flag: string, path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError([`--${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  };
  return { cert: read('tls-cert', tlsCert), key: read('tls-key', tlsKey), minVersion: 'TLSv1.2' };
}

/** Strict-Transport-Security on every HTTPS response: browsers keep to HTTPS for a year. */
export function registerHsts(app: FastifyInstance): void {
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
}
