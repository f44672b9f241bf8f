import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserPoolCommand, type LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import type { Context } from '../../src/context.ts';
import type { Pool } from '../../src/domain/pool-settings.ts';
import type { TriggerCall } from '../../src/triggers/run-trigger.ts';
import type { Running } from './server.ts';

// Drives the trigger runtime (triggers/run-trigger.ts, functions.ts) directly
// with a real server's dependencies, independently of the operations that
// call it: handler modules and the functions file written to a temporary
// directory, a pool created through the SDK with its LambdaConfig.

export const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A user agent as the JavaScript SDK v3 sends it. */
export const SDK_USER_AGENT = 'aws-sdk-js/3.901.0 ua/2.1 os/linux#6.8 lang/js md/nodejs#20.20.2 api/cognito-identity-provider#3.901.0';

export class FunctionsDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'cognate-functions-'));

  /** Writes a file (a handler module) and returns its path. */
  file(name: string, source: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, source);
    return path;
  }

  /** Writes functions.json with these entries and returns its path. */
  functionsFile(functions: Record<string, unknown>, name = 'functions.json'): string {
    return this.file(name, JSON.stringify({ functions }));
  }

  /** The JSON lines a handler appended to `name` (see `recorder`). */
  lines(name: string): Record<string, unknown>[] {
    let text: string;
    try {
      text = readFileSync(join(this.dir, name), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Source of a statement that appends `expr` as a JSON line to `file` in the handler's directory. */
export const recorder = (dir: FunctionsDir, file: string, expr: string): string =>
  `(await import('node:fs')).appendFileSync(${JSON.stringify(join(dir.dir, file))}, JSON.stringify(${expr}) + '\\n');`;

/** A pool created through the SDK with this LambdaConfig, as the store holds it. */
export async function poolWith(running: Running, lambdaConfig: LambdaConfigType): Promise<Pool> {
  const out = await running.admin.send(new CreateUserPoolCommand({ PoolName: `triggers-${randomUUID().slice(0, 8)}`, LambdaConfig: lambdaConfig }));
  const pool = await running.deps.store.pools.pool(out.UserPool!.Id!);
  if (!pool) throw new Error('the created pool is not in the store');
  return pool;
}

/** A public call's context on the running server, as the router builds it. */
export function contextOf(running: Running, userAgent = SDK_USER_AGENT): Context {
  return {
    ...running.deps,
    request: { requestId: randomUUID(), sourceIp: '127.0.0.1', userAgent },
    caller: { kind: 'public' },
    afterSuccess: [],
  };
}

/** A PreSignUp call as SignUp would make it. */
export function preSignUpCall(overrides: Partial<TriggerCall> = {}): TriggerCall {
  return {
    trigger: 'PreSignUp',
    triggerSource: 'PreSignUp_SignUp',
    userName: 'alice',
    clientId: 'client-1',
    request: { userAttributes: { email: 'alice@example.com' }, validationData: null },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    ...overrides,
  };
}
