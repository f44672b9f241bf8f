import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Real trigger functions for tests: one plain .mjs handler module per
// function, named in a functions file (config `functionsFile`), run by the
// server as it runs any local module. Each handler appends every event it
// receives as a JSON line to its log, then does what its control file says:
// throw an Error with a message, return some other output, or merge fields
// into `event.response` and return the event (Cognito's "return the event").
// The control file is read at each invocation, so a test changes a
// function's behaviour between calls without restarting the server.

export interface Behaviour {
  /** Throw `new Error(throw)`. */
  throw?: string;
  /** Return this instead of the event. */
  output?: unknown;
  /** Fields merged into event.response before returning the event. */
  response?: Record<string, unknown>;
}

export interface TriggerFunctions {
  /** The functions file to start the server with. */
  functionsFile: string;
  /** The Lambda ARN of a function, for LambdaConfig. */
  arn(name: string): string;
  /** Every event `name` has received, oldest first. */
  events(name: string): Record<string, unknown>[];
  /** Sets what `name` does from its next invocation on ({} = return the event unchanged). */
  behave(name: string, behaviour: Behaviour): void;
  /** Forgets the events and behaviours of every function. */
  reset(): void;
  dispose(): void;
}

const handlerSource = (log: string, control: string) => `import { appendFileSync, readFileSync } from 'node:fs';
export const handler = async (event) => {
  appendFileSync(${JSON.stringify(log)}, JSON.stringify(event) + '\\n');
  let control = {};
  try { control = JSON.parse(readFileSync(${JSON.stringify(control)}, 'utf8')); } catch {}
  if (control.throw) throw new Error(control.throw);
  if ('output' in control) return control.output;
  Object.assign(event.response, control.response ?? {});
  return event;
};
`;

export function triggerFunctions(names: string[]): TriggerFunctions {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-triggers-'));
  const logOf = (name: string) => join(dir, `${name}.jsonl`);
  const controlOf = (name: string) => join(dir, `${name}.json`);
  const functions: Record<string, { module: string; handler: string }> = {};
  for (const name of names) {
    writeFileSync(join(dir, `${name}.mjs`), handlerSource(logOf(name), controlOf(name)));
    functions[name] = { module: `./${name}.mjs`, handler: 'handler' };
  }
  const functionsFile = join(dir, 'functions.json');
  writeFileSync(functionsFile, JSON.stringify({ functions }));
  return {
    functionsFile,
    arn: (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    events: (name) =>
      existsSync(logOf(name))
        ? readFileSync(logOf(name), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Record<string, unknown>)
        : [],
    behave: (name, behaviour) => writeFileSync(controlOf(name), JSON.stringify(behaviour)),
    reset() {
      for (const name of names) {
        rmSync(logOf(name), { force: true });
        rmSync(controlOf(name), { force: true });
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
