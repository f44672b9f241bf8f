import { readFileSync, statSync } from 'node:fs';
import type { Config } from '../config/schema.ts';
import { ConfigError } from '../errors/config-error.ts';

/**
 * The master key as base64 text from the one source configured for it:
 * `--master-key-file` (COGNATE_MASTER_KEY_FILE) or COGNATE_MASTER_KEY
 * (`fromEnv`), never both; undefined leaves MasterKey.loadOrCreate to use
 * `<data-dir>/master.key`. The file is held to the same bar as master.key:
 * canonical base64 of exactly 32 bytes, readable by its owner only.
 */
export function chooseMasterKey(config: Pick<Config, 'masterKeyFile'>, fromEnv: string | undefined): string | undefined {
  const path = config.masterKeyFile;
  if (path === null) return fromEnv;
  const problem = (what: string) => new ConfigError([`--master-key-file / COGNATE_MASTER_KEY_FILE: ${what}`]);
  if (fromEnv) throw problem('COGNATE_MASTER_KEY is set too; set only one of them');
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) throw problem(`${path} is readable or writable by others; make it 0600 (chmod 600 ${path})`);
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw problem(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // The content is never echoed: it is the key.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text) || Buffer.from(text, 'base64').toString('base64') !== text) throw problem(`${path} must hold the base64 of 32 bytes`);
  return text;
}
