import { ConfigError } from '../errors/config-error.ts';
import { schema, type Config } from './schema.ts';

// Resolves flags over environment over defaults, reports every problem at once,
// and returns a frozen object.
export function loadConfig(flags: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const known = new Set(Object.values(schema).map((k) => k.flag));
  for (const flag of Object.keys(flags)) if (!known.has(flag)) problems.push(`--${flag}: unknown option`);

  const partial: Record<string, unknown> = {};
  const deferred: (keyof Config)[] = [];
  for (const name of Object.keys(schema) as (keyof Config)[]) {
    const key = schema[name];
    const raw = flags[key.flag] ?? env[key.env];
    if (raw === undefined) {
      deferred.push(name);
      continue;
    }
    try {
      partial[name] = key.parse(raw);
    } catch (err) {
      problems.push(`--${key.flag} / ${key.env}: ${(err as Error).message}`);
    }
  }
  // Defaults may depend on other keys (public-url on port), so they come last.
  for (const name of deferred) {
    const d = schema[name].default;
    partial[name] = typeof d === 'function' ? d(partial as Partial<Config>) : d;
  }
  // The default region must itself be served: unsigned calls and the CLI tools act in it.
  const { region, regions } = partial as { region?: string; regions?: readonly string[] | null };
  if (region !== undefined && regions && !regions.includes(region)) {
    problems.push(`--region / COGNATE_REGION: ${region} is not one of --regions (${regions.join(',')}); set --region to one of them`);
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(partial) as unknown as Config;
}

export function configFor(overrides: Partial<Config>): Config {
  const base = loadConfig({}, {});
  const port = overrides.port ?? base.port;
  return Object.freeze({ ...base, publicUrl: `http://localhost:${port}`, ...overrides });
}
