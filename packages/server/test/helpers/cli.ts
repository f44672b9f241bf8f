import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/cognate.cjs', import.meta.url));

/** Runs `cognate start` as a real process and resolves once it prints its endpoint. */
export async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ proc: ChildProcessWithoutNullStreams; stdout: () => string; endpoint: string }> {
  const proc = spawn(process.execPath, [BIN, 'start', ...args], { env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cognate did not start:\n${out}\n${err}`)), 20_000);
    const check = () => {
      const m = /Endpoint and token issuer base: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout.on('data', check);
    proc.on('exit', (code) => reject(new Error(`cognate exited with ${code}:\n${out}\n${err}`)));
  });
  return { proc, stdout: () => out, endpoint };
}

export function hasAwsCli(): boolean {
  return spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Runs the AWS CLI with JSON output and returns the parsed result, or throws with its stderr. */
export function aws(args: string[], env: NodeJS.ProcessEnv): Record<string, unknown> {
  const r = spawnSync('aws', [...args, '--output', 'json'], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>) : {};
}

/** The operator key a first start wrote to `<dataDir>/credentials`. */
export function operatorCredentials(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const creds = readFileSync(join(dataDir, 'credentials'), 'utf8');
  return { accessKeyId: /aws_access_key_id = (\S+)/.exec(creds)![1]!, secretAccessKey: /aws_secret_access_key = (\S+)/.exec(creds)![1]! };
}

/** SDK clients for a server started as a process: `admin` signs with the operator key, `anon` sends no signature, as an app does. */
export function clientsFor(url: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const common = { region: 'us-east-1', endpoint: url, maxAttempts: 1 };
  return {
    admin: new CognitoIdentityProviderClient({ ...common, credentials }),
    anon: new CognitoIdentityProviderClient({ ...common, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' }, signer: { sign: async (r) => r } }),
  };
}
