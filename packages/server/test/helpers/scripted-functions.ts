import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Trigger functions for tests, run for real by Cognate's module invoker: each
// named function is a module that appends every event it receives to a file
// (one JSON line each) and then does what its plan file says at that moment,
// so a test can change a function's behaviour between calls without
// restarting the server (a worker loads each module once).

/** The event a trigger function received. */
export interface ReceivedEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string | null;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/** What the function does: set `event.response` (and return the event), throw, or return something else entirely. */
export type Plan = { response: Record<string, unknown> } | { throw: string } | { returns: unknown } | { unchanged: true };

export class ScriptedFunctions {
  readonly dir = mkdtempSync(join(tmpdir(), 'cognate-functions-'));
  readonly functionsFile = join(this.dir, 'functions.json');

  constructor(names: readonly string[]) {
    const functions: Record<string, { module: string; handler: string }> = {};
    for (const name of names) {
      writeFileSync(this.planFile(name), JSON.stringify({ unchanged: true }));
      writeFileSync(
        join(this.dir, `${name}.mjs`),
        [
          "import { appendFileSync, readFileSync } from 'node:fs';",
          'export const handler = async (event) => {',
          `  appendFileSync(${JSON.stringify(this.eventsFile(name))}, JSON.stringify(event) + '\\n');`,
          `  const plan = JSON.parse(readFileSync(${JSON.stringify(this.planFile(name))}, 'utf8'));`,
          '  if (plan.throw !== undefined) throw new Error(plan.throw);',
          "  if ('returns' in plan) return plan.returns;",
          '  if (plan.response !== undefined) event.response = plan.response;',
          '  return event;',
          '};',
        ].join('\n'),
      );
      functions[name] = { module: `./${name}.mjs`, handler: 'handler' };
    }
    writeFileSync(this.functionsFile, JSON.stringify({ functions }));
  }

  arn(name: string): string {
    return `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
  }

  plan(name: string, plan: Plan): void {
    writeFileSync(this.planFile(name), JSON.stringify(plan));
  }

  /** The events the function received since the last call, oldest first. */
  take(name: string): ReceivedEvent[] {
    const file = this.eventsFile(name);
    if (!existsSync(file)) return [];
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    rmSync(file);
    return lines.map((l) => JSON.parse(l) as ReceivedEvent);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private planFile(name: string): string {
    return join(this.dir, `${name}.plan.json`);
  }

  private eventsFile(name: string): string {
    return join(this.dir, `${name}.events.jsonl`);
  }
}
