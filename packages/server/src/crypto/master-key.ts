import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The master key never touches the database: it comes from COGNATE_MASTER_KEY
// or from a 0600 file made at first start. Everything secret at rest (signing
// keys, client secrets, operator secrets, SRP verifiers) is sealed with
// AES-256-GCM under a key derived from it for that purpose, with the row's
// identity as associated data so a sealed value cannot be moved to another row.
export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  static fromBytes(key: Buffer): MasterKey {
    if (key.length !== 32) throw new Error('The master key must be 32 bytes');
    return new MasterKey(key);
  }

  /** Loads the key from the environment or `<dataDir>/master.key`, creating the file if neither exists. */
  static loadOrCreate(dataDir: string, fromEnv: string | undefined): { key: MasterKey; created: boolean } {
    if (fromEnv) return { key: MasterKey.fromBytes(Buffer.from(fromEnv, 'base64')), created: false };
    const file = join(dataDir, 'master.key');
    if (existsSync(file)) return { key: MasterKey.fromBytes(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')), created: false };
    const bytes = randomBytes(32);
    writeFileSync(file, bytes.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return { key: MasterKey.fromBytes(bytes), created: true };
  }

  private derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `cognate:${purpose}`, 32));
  }

  seal(purpose: string, context: string, plaintext: Buffer | string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derive(purpose), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  open(purpose: string, context: string, sealed: string): Buffer {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || iv === undefined || body === undefined || tag === undefined) throw new Error('Unknown sealed-value format');
    const decipher = createDecipheriv('aes-256-gcm', this.derive(purpose), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }

  /** A keyed hash for low-entropy secrets (six-digit codes): useless without the master key. */
  mac(purpose: string, message: string): string {
    return createHmac('sha256', this.derive(purpose)).update(message, 'utf8').digest('base64url');
  }
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
