import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserPoolCommand, type LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import type { Context } from '../../src/context.ts';
import type { Pool } from '../../src/domain/pool-settings.ts';
import type { TriggerCall } from '../../src/triggers/run-trigger.ts';
import type { Running } from './server.ts';

// Real trigger functions for tests, run by the server as it runs any function
// of a functions file (config `functionsFile`): handler modules written to a
// temporary directory and named in its functions.json, each reached by the
// Lambda ARN whose function name is its key (`arn`). The source of a module
// written by `module` (or `scripted`) may call
//   RECORD(value)      appends `value` to what the test reads back with
//                      `events`, `take` and `waitForEvents` (one JSON line
//                      each, one log for every function, in order);
//   PLANNED(event, otherwise?)
//                      does what the test's current plan for the function
//                      says (see Plan), or with no plan `otherwise(event)`
//                      (by default: returns the event unchanged).
// The plan is read at each invocation: a test changes what a function does
// between calls without restarting the server. `file` and `register` write
// plain files and entries, for the runtime's own tests (CommonJS, TypeScript,
// named exports, URLs, broken functions files).

/** What a function does from its next invocation on. */
export type Plan =
  /** Merge these fields into event.response and return the event. */
  | { respond: Record<string, unknown> }
  /** Throw `new Error(throw)`. */
  | { throw: string }
  /** Return this instead of the event. */
  | { returns: unknown }
  /** Return the event as received. */
  | { unchanged: true };

/** The event a function received, as Cognito sends it. */
export type TriggerEvent = {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string | null;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
};

/** The ARN a pool's LambdaConfig names function `name` by (the functions file maps the name). */
export const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A handler that records each event and follows its plan (no plan: the event back unchanged). */
const SCRIPTED = 'export const handler = async (event) => { RECORD(event); return PLANNED(event); };';

export class TriggerFunctions {
  readonly dir = mkdtempSync(join(tmpdir(), 'cognate-functions-'));
  /** The functions file naming every function added here: the server's `functionsFile`. */
  readonly functionsFile = join(this.dir, 'functions.json');
  readonly #log = join(this.dir, 'records.jsonl');
  readonly #entries: Record<string, unknown> = {};
  /** Per function, how many of its records `take` or `reset` put behind. */
  readonly #behind = new Map<string, number>();

  constructor() {
    this.register({});
  }

  arn(name: string): string {
    return arnOf(name);
  }

  /** Adds functions that record each event and follow their plan. */
  scripted(...names: string[]): this {
    for (const name of names) this.module(name, SCRIPTED);
    return this;
  }

  /** Adds function `name`: a module of this source (`export const handler = …`, RECORD and PLANNED in scope). */
  module(name: string, source: string): this {
    const prelude = [
      "import * as TEST_FS from 'node:fs';",
      `const RECORD = (value) => TEST_FS.appendFileSync(${JSON.stringify(this.#log)}, JSON.stringify({ fn: ${JSON.stringify(name)}, value }) + '\\n');`,
      'const PLANNED = (event, otherwise = (e) => e) => {',
      '  let plan;',
      `  try { plan = JSON.parse(TEST_FS.readFileSync(${JSON.stringify(this.#planFile(name))}, 'utf8')); } catch { return otherwise(event); }`,
      "  if ('throw' in plan) throw new Error(plan.throw);",
      "  if ('returns' in plan) return plan.returns;",
      "  if ('respond' in plan) Object.assign(event.response, plan.respond);",
      '  return event;',
      '};',
    ].join('\n');
    this.file(`${name}.mjs`, `${prelude}\n${source}\n`);
    return this.register({ [name]: { module: `./${name}.mjs` } });
  }

  /** Writes a plain file (a module, a functions file) into the directory and returns its path. */
  file(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  /** Adds entries, as written, to the functions file (keys are names or ARNs). */
  register(entries: Record<string, unknown>): this {
    Object.assign(this.#entries, entries);
    writeFileSync(this.functionsFile, JSON.stringify({ functions: this.#entries }));
    return this;
  }

  /** Sets what `name` does from its next invocation on. */
  plan(name: string, plan: Plan): void {
    const temporary = `${this.#planFile(name)}.${randomUUID()}`;
    writeFileSync(temporary, JSON.stringify(plan));
    renameSync(temporary, this.#planFile(name));
  }

  /**
   * What `name` recorded (its events, with RECORD(event)) since the last `take(name)` or `reset`, oldest first;
   * without a name, what every function recorded since the last `reset()`, in the order they did.
   */
  events<T = TriggerEvent>(name?: string): T[] {
    let lines: string[];
    try {
      lines = readFileSync(this.#log, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
    const records = lines.map((line) => JSON.parse(line) as { fn: string; value: T });
    if (name === undefined) return records.map((r) => r.value);
    return records
      .filter((r) => r.fn === name)
      .map((r) => r.value)
      .slice(this.#behind.get(name) ?? 0);
  }

  /** `events(name)`, then puts them behind: the next take or events sees only newer ones. */
  take<T = TriggerEvent>(name: string): T[] {
    const got = this.events<T>(name);
    this.#behind.set(name, (this.#behind.get(name) ?? 0) + got.length);
    return got;
  }

  /** Waits until `events(name)` holds at least `count` records (functions that run after the answer), and returns them. */
  async waitForEvents<T = TriggerEvent>(name: string, count: number, ms = 10_000): Promise<T[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const got = this.events<T>(name);
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`${name} recorded ${got.length} of ${count} within ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Forgets the records and the plan of `name`, or of every function. */
  reset(name?: string): void {
    if (name !== undefined) {
      this.take(name);
      rmSync(this.#planFile(name), { force: true });
      return;
    }
    writeFileSync(this.#log, '');
    this.#behind.clear();
    for (const fn of Object.keys(this.#entries)) rmSync(this.#planFile(fn), { force: true });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  #planFile(name: string): string {
    return join(this.dir, `${name}.plan.json`);
  }
}

/** "ok", or the error a call failed with as "<name>: <message>". */
export const failure = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (err: Error) => `${err.name}: ${err.message}`,
  );

// For calling the trigger runtime (triggers/run-trigger.ts) directly with a
// real server's dependencies, independently of the operations that call it.

/** A user agent as the JavaScript SDK v3 sends it. */
export const SDK_USER_AGENT = 'aws-sdk-js/3.901.0 ua/2.1 os/linux#6.8 lang/js md/nodejs#20.20.2 api/cognito-identity-provider#3.901.0';

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
