import { parseArgs } from './cli/args.ts';
import { keys } from './cli/keys.ts';
import { audit } from './cli/audit.ts';
import { masterKey } from './cli/master-key.ts';
import { outbox } from './cli/outbox.ts';
import { signingKeys } from './cli/signing-keys.ts';
import { start } from './cli/start.ts';
import { ConfigError } from './errors/config-error.ts';
import { schema } from './config/schema.ts';

function usage(): string {
  const options = Object.values(schema)
    .map((k) => `  --${k.flag.padEnd(12)} ${k.env.padEnd(26)} ${k.description}`)
    .join('\n');
  return `Usage: cognate <command> [options]

Commands:
  start                 Start the server
  outbox                Show recent mail: [--to ADDRESS] [--pool ID] [--limit N] [--json]
  master-key rotate     New master key; every data key re-wrapped under it, servers keep running
  signing-keys rotate   New signing keys for a pool: --pool ID (old ones stay in the JWKS until their tokens expire)
  audit                 Audit trail: tail | search [--from T] [--to T] [--operation OP] [--caller ID] [--outcome O] | verify | prune
  keys                  Operator access keys: create, list, disable, enable, delete, attach-policy, detach-policy

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
    if (command === 'master-key') return await masterKey(positionals.slice(1), flags);
    if (command === 'signing-keys') return await signingKeys(positionals.slice(1), flags);
    if (command === 'audit') return await audit(positionals.slice(1), flags);
    if (command === 'keys') return await keys(positionals.slice(1), flags);
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
