import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a small owner-only file (master key, operator credentials) so that a
 * crash at any moment leaves either no file / the old file, or the whole new
 * one, never an empty or torn file: the content goes to a temporary file in
 * the same directory, is fsynced, and is then moved into place; the directory
 * is fsynced so the name survives a power cut too. With `exclusive` the move
 * fails (EEXIST) when the file already exists, as `flag: 'wx'` would.
 */
export function writeFileDurably(path: string, content: string, opts: { exclusive?: boolean } = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (opts.exclusive) {
      linkExclusive(temp, path);
      rmSync(temp, { force: true });
    } else {
      renameSync(temp, path);
    }
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  // Some platforms (Windows) cannot open or fsync a directory: best effort there.
  let dirFd: number | null = null;
  try {
    dirFd = openSync(dir, 'r');
    fsyncSync(dirFd);
  } catch {
    // The file itself is complete either way; only its name may not survive a power cut.
  } finally {
    if (dirFd !== null) closeSync(dirFd);
  }
}

/**
 * A hard link fails if `path` exists, atomically. Some mounted filesystems
 * (network shares, some container volumes) have no hard links: there a
 * checked rename stands in, racy only against a second process creating the
 * same file in the same instant.
 */
function linkExclusive(temp: string, path: string): void {
  try {
    linkSync(temp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    if (existsSync(path)) throw Object.assign(new Error(`EEXIST: file already exists, link '${temp}' -> '${path}'`), { code: 'EEXIST' });
    renameSync(temp, path);
  }
}
