import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Trigger functions for tests: real handler modules, run by Cognate's module
// invoker from a functions file. Each handler's source may use RECORD, a
// function that appends its argument as a JSON line to the handler's own
// record file, so a test can read back every event the function received.

/** The ARN a test's pool names for `name`: the functions file maps the name. */
export const functionArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

export interface RecordingFunctions {
  /** The functions file (config functionsFile). */
  file: string;
  dir: string;
  /** Every value `name`'s handler recorded, oldest first. */
  records(name: string): Record<string, unknown>[];
  /** Waits until `name` has recorded more than `count` values (asynchronous senders), and returns them. */
  waitForRecords(name: string, count: number, ms?: number): Promise<Record<string, unknown>[]>;
  remove(): void;
}

/**
 * Writes one module per handler (`export const handler = …` source, with
 * RECORD available) and the functions file naming them.
 */
export function writeFunctions(handlers: Record<string, string>): RecordingFunctions {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-functions-'));
  const recordFile = (name: string) => join(dir, `${name}.jsonl`);
  const functions: Record<string, { module: string; handler: string }> = {};
  for (const [name, source] of Object.entries(handlers)) {
    const prelude = [
      "import { appendFileSync } from 'node:fs';",
      `const RECORD = (value) => appendFileSync(${JSON.stringify(recordFile(name))}, JSON.stringify(value) + '\\n');`,
    ].join('\n');
    writeFileSync(join(dir, `${name}.mjs`), `${prelude}\n${source}\n`);
    functions[name] = { module: `./${name}.mjs`, handler: 'handler' };
  }
  const file = join(dir, 'functions.json');
  writeFileSync(file, JSON.stringify({ functions }));
  const records = (name: string) =>
    existsSync(recordFile(name))
      ? readFileSync(recordFile(name), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];
  return {
    file,
    dir,
    records,
    async waitForRecords(name, count, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const got = records(name);
        if (got.length > count) return got;
        if (Date.now() > deadline) throw new Error(`${name} recorded nothing new within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
