import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { databaseFault, FAULT_REASONS } from '../store/database-errors.ts';
import { describeDatabase } from '../store/open.ts';

// File-system errors met while preparing the data directory (master key,
// credentials, the SQLite file), named as an operator would look them up.
const FILE_ERRORS: Record<string, string> = {
  EROFS: 'it is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  ENOENT: 'a folder on its path is missing and cannot be made',
  EDQUOT: 'disk quota exceeded',
};

/**
 * One line saying why Cognate cannot start on this database or data
 * directory, or null when the error is something else (a bug: its stack
 * trace is worth more). No password: the URL is shown as the banner shows it.
 */
export function startupProblem(err: unknown, config: Pick<Config, 'dataDir' | 'databaseUrl'>): string | null {
  // A migration's failure wraps the file-system or database error that caused it.
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && cause !== err) {
    const said = startupProblem(cause, config);
    if (said !== null) return said;
  }
  const where = describeDatabase(config);
  const { code: given, path } = (err ?? {}) as { code?: unknown; path?: unknown };
  // File errors speak of the data directory only when they happened in it (not, say, a missing --guardrail-policy file).
  const inDataDir = typeof path !== 'string' || resolve(path).startsWith(resolve(config.dataDir));
  // A recursive mkdir on a read-only file system reports ENOENT: ask the nearest existing folder why.
  const code = typeof given === 'string' && FILE_ERRORS[given] ? (writeProblem(config.dataDir) ?? given) : given;
  if (inDataDir && typeof code === 'string' && FILE_ERRORS[code]) {
    return `Cognate cannot start: the data directory ${config.dataDir} cannot be written (${FILE_ERRORS[code]}, ${code}). Cognate keeps its master key${config.databaseUrl === null ? ', credentials and SQLite database' : ' and credentials'} there.`;
  }
  const fault = databaseFault(err);
  if (fault) {
    return `Cognate cannot start: ${FAULT_REASONS[fault.kind]} (${where}; ${fault.detail})`;
  }
  return null;
}

/** Why the data directory (or its nearest existing parent) cannot be written, as an errno code; null if it can. */
function writeProblem(dir: string): string | null {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? null;
  }
}
