import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors/config-error.ts';

// The functions file (--functions FILE): trigger functions run without any
// Lambda runtime. It maps a function, by its full ARN or by its name (the ARN's
// `function:NAME` part), to a local module or to an HTTPS URL:
//
//   { "functions": {
//       "pre-sign-up": { "module": "./triggers/pre-sign-up.mjs", "handler": "handler" },
//       "arn:aws:lambda:us-east-1:123456789012:function:welcome":
//         { "url": "https://hooks.example.com/welcome", "secretEnv": "WELCOME_HOOK_SECRET" } } }
//
// Module paths are relative to the file. A function the file does not name
// goes to the Lambda Invoke API (lambda-invoker.ts).

export interface LocalFunction {
  kind: 'module';
  name: string;
  /** Absolute path of the module. */
  module: string;
  exportName: string;
}

export interface UrlFunction {
  kind: 'url';
  name: string;
  url: string;
  /** Key of the X-Cognate-Signature HMAC; null sends none. */
  secret: string | null;
}

export type MappedFunction = LocalFunction | UrlFunction;

export class FunctionMap {
  constructor(private readonly entries: ReadonlyMap<string, MappedFunction>) {}

  static empty(): FunctionMap {
    return new FunctionMap(new Map());
  }

  /** Reads and checks the file; mistakes are a ConfigError naming each entry. */
  static load(file: string, env: NodeJS.ProcessEnv = process.env): FunctionMap {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError([`functions file ${file}: ${(err as Error).message}`]);
    }
    const functions = (parsed as { functions?: unknown } | null)?.functions;
    if (typeof functions !== 'object' || functions === null || Array.isArray(functions))
      throw new ConfigError([`functions file ${file}: expected {"functions": {"<name or ARN>": {...}}}`]);
    // Every entry is checked, and every mistake reported at once.
    const entries = new Map<string, MappedFunction>();
    const problems: string[] = [];
    for (const [key, raw] of Object.entries(functions)) {
      try {
        entries.set(key, entryOf(file, key, raw, env));
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        problems.push(...err.problems);
      }
    }
    if (problems.length) throw new ConfigError(problems);
    return new FunctionMap(entries);
  }

  /** The entry for a function ARN: by the ARN itself, else by its name. */
  lookup(functionArn: string): MappedFunction | null {
    return this.entries.get(functionArn) ?? this.entries.get(functionNameOf(functionArn)) ?? null;
  }
}

/** arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] → NAME; anything else as given. */
export function functionNameOf(arn: string): string {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts[5] === 'function' && parts[6] ? parts[6] : arn;
}

function entryOf(file: string, key: string, raw: unknown, env: NodeJS.ProcessEnv): MappedFunction {
  const where = `functions file ${file}, "${key}"`;
  if (typeof raw !== 'object' || raw === null) throw new ConfigError([`${where}: expected an object with "module" or "url"`]);
  const entry = raw as Record<string, unknown>;
  const name = functionNameOf(key);
  if (entry['module'] !== undefined && entry['url'] !== undefined) throw new ConfigError([`${where}: give "module" or "url", not both`]);
  if (typeof entry['module'] === 'string') {
    const handler = entry['handler'] ?? 'handler';
    if (typeof handler !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(handler)) throw new ConfigError([`${where}: "handler" must name an export`]);
    const path = isAbsolute(entry['module']) ? entry['module'] : resolve(dirname(file), entry['module']);
    // Checked now: a typo would otherwise surface only when a user signs up.
    if (!existsSync(path)) throw new ConfigError([`${where}: module ${path} does not exist`]);
    return { kind: 'module', name, module: path, exportName: handler };
  }
  if (typeof entry['url'] === 'string') {
    let url: URL;
    try {
      url = new URL(entry['url']);
    } catch {
      throw new ConfigError([`${where}: "url" is not a URL`]);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError([`${where}: "url" must be http(s)`]);
    let secret: string | null = null;
    if (typeof entry['secretEnv'] === 'string') {
      secret = env[entry['secretEnv']] ?? null;
      if (!secret) throw new ConfigError([`${where}: environment variable ${entry['secretEnv']} (its "secretEnv") is not set`]);
    } else if (typeof entry['secret'] === 'string') secret = entry['secret'];
    return { kind: 'url', name, url: url.href, secret };
  }
  throw new ConfigError([`${where}: expected "module" or "url"`]);
}
