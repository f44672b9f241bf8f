import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Node handlers behind the real AWS Lambda Invoke API
// (POST /2015-03-31/functions/NAME/invocations), as serverless-offline serves
// it: the Serverless Framework v3 CLI (MIT, needs no login or network) with
// the serverless-offline plugin, both devDependencies, run on a generated
// serverless.yml. Each function's name is exactly the one given, so Cognate
// reaches it by an ARN ending in `function:NAME`.

const require = createRequire(import.meta.url);
const SERVERLESS_BIN = require.resolve('serverless/bin/serverless.js');
/** The node_modules holding serverless (serverless-offline beside it), linked into the service directory, where the CLI looks for plugins. */
const NODE_MODULES = dirname(dirname(dirname(SERVERLESS_BIN)));
if (!existsSync(join(NODE_MODULES, 'serverless-offline', 'package.json')))
  throw new Error(`serverless-offline is not installed beside serverless in ${NODE_MODULES}`);
const START_TIMEOUT_MS = 60_000;

export interface ServerlessOffline {
  /** The Lambda API's endpoint, for Cognate's lambdaEndpoint. */
  endpoint: string;
  /** What the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A port free now (the OS picks it; a race with another process taking it is possible but rare). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts serverless-offline with one function per entry: the name it is
 * invoked by, and the source of an ES module exporting `handler`. Resolves
 * once its Lambda port listens; rejects with its output if it exits or does
 * not listen within a minute.
 */
export async function startServerlessOffline(functions: Record<string, string>): Promise<ServerlessOffline> {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-sls-'));
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  const [lambdaPort, httpPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  const yml = [
    'service: cognate-triggers',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    'plugins:',
    '  - serverless-offline',
    'custom:',
    '  serverless-offline:',
    '    host: 127.0.0.1',
    `    lambdaPort: ${lambdaPort}`,
    `    httpPort: ${httpPort}`,
    `    websocketPort: ${websocketPort}`,
    'functions:',
  ];
  Object.entries(functions).forEach(([name, source], i) => {
    writeFileSync(join(dir, `fn${i}.mjs`), source);
    yml.push(`  fn${i}:`, `    handler: fn${i}.handler`, `    name: ${name}`);
  });
  writeFileSync(join(dir, 'serverless.yml'), `${yml.join('\n')}\n`);

  // Its own process group, so that stop() ends the CLI and anything it started.
  const proc = spawn(process.execPath, [SERVERLESS_BIN, 'offline', 'start'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*', SLS_INTERACTIVE_SETUP_DISABLE: '1' },
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const stop = async () => {
    await killGroup(proc, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serverless-offline did not listen within ${START_TIMEOUT_MS / 1000} s:\n${out}`)), START_TIMEOUT_MS);
      const check = () => {
        if (out.includes(`listening on http://127.0.0.1:${lambdaPort}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on('data', check);
      proc.stderr?.on('data', check);
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`serverless-offline exited (${code ?? signal}) before listening:\n${out}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint: `http://127.0.0.1:${lambdaPort}`, output: () => out, stop };
}

/** SIGTERM to the whole group, then SIGKILL if it is still there after five seconds. */
async function killGroup(proc: ChildProcess, exited: Promise<void>): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  // Anything of the group that outlived its leader.
  signalGroup('SIGKILL');
}
