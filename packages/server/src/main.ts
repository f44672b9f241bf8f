import { parseArgs } from './cli/args.ts';
import { outbox } from './cli/outbox.ts';
import { start } from './cli/start.ts';
import { ConfigError } from './config/load.ts';
import { schema } from './config/schema.ts';

function usage(): string {
  const options = Object.values(schema)
    .map((k) => `  --${k.flag.padEnd(12)} ${k.env.padEnd(26)} ${k.description}`)
    .join('\n');
  return `Usage: cognate <command> [options]

Commands:
  start                 Start the server
  outbox                Show recent mail: [--to ADDRESS] [--pool ID] [--limit N] [--json]

Options (flag, environment variable, meaning):
${options}
  (COGNATE_MASTER_KEY: base64 of 32 bytes; otherwise <data-dir>/master.key is used, made on first start)
`;
}

export async function main(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv);
  const command = positionals[0] ?? 'help';
  try {
    if (command === 'start') return await start(flags);
    if (command === 'outbox') return await outbox(flags);
    process.stdout.write(usage());
    return command === 'help' || flags['help'] ? 0 : 1;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
