import { readFileSync } from 'node:fs';

/**
 * Reads an AES-256 key file: base64 of 32 bytes (as `openssl rand -base64 32`
 * writes it), surrounding whitespace ignored. Throws a message that names the
 * problem but never the file's content.
 */
export function readAesKeyFile(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== 32) throw new Error(`${path} must hold base64 of 32 bytes (openssl rand -base64 32)`);
  return key;
}
