import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, type CognitoIdentityProviderClientConfig } from '@aws-sdk/client-cognito-identity-provider';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { configFor } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Clock } from '../../src/services/clock.ts';
import type { OperatorCredentials } from '../../src/services/bootstrap.ts';
import { createTestSchema, testDatabase } from './database.ts';
import { Inbox } from './mail.ts';

export interface Running extends BuiltApp {
  url: string;
  dataDir: string;
  credentials: OperatorCredentials;
  /** SDK client signing with the operator key: for admin and management calls. */
  admin: CognitoIdentityProviderClient;
  /** SDK client that sends no signature, as a browser app does: for public calls. */
  anon: CognitoIdentityProviderClient;
  inbox: Inbox;
  stop(): Promise<void>;
}

/**
 * Starts Cognate over a real port (0: any free one) on a fresh temporary data
 * directory, with a real SMTP server receiving its mail.
 */
export async function startCognate(opts: { clock?: Clock; config?: Partial<Config>; logStream?: NodeJS.WritableStream } = {}): Promise<Running> {
  const inbox = await new Inbox().start();
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-test-'));
  // COGNATE_TEST_DB=postgres: the same server on PostgreSQL, in a schema of its own (dropped at stop).
  const schema = testDatabase() === 'postgres' && opts.config?.databaseUrl === undefined ? await createTestSchema() : null;
  const database = schema ? { databaseUrl: schema.url, databasePoolSize: 4 } : {};
  const config = configFor({ dataDir, port: 0, logLevel: 'silent', smtpUrl: inbox.url, ...database, ...opts.config });
  let built: BuiltApp;
  try {
    built = await buildApp(config, { ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logStream ? { logStream: opts.logStream } : {}) });
  } catch (err) {
    // A server that never started must not leave its mail server (which would
    // keep the test process alive), schema or directory behind.
    await inbox.close();
    await schema?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  // The issuer must be the address clients reach; rebuild config's public URL now the port is known.
  const url = address.replace('127.0.0.1', 'localhost');
  built.deps.tokens.setPublicUrl(url);
  const credentials = built.createdCredentials!;
  const common: CognitoIdentityProviderClientConfig = { region: config.region, endpoint: url, maxAttempts: 1 };
  const admin = new CognitoIdentityProviderClient({ ...common, credentials });
  const clock = opts.clock;
  if (clock) {
    // SigV4 dates must be fresh by the server's (fake) clock: sign every
    // operator call at that time rather than the wall clock.
    admin.middlewareStack.add(
      (next) => async (args) => {
        admin.config.systemClockOffset = clock.now() - Date.now();
        return next(args);
      },
      { step: 'initialize', name: 'signAtServerTime' },
    );
  }
  const anon = new CognitoIdentityProviderClient({
    ...common,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    signer: { sign: async (request) => request },
  });
  return {
    ...built,
    url,
    dataDir,
    credentials,
    admin,
    anon,
    inbox,
    async stop() {
      admin.destroy();
      anon.destroy();
      await built.app.close();
      await inbox.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
