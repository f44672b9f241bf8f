import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from './durable-file.ts';
import { ConfigError } from '../errors/config-error.ts';

// The master key never touches the database: it comes from COGNATE_MASTER_KEY
// or from a 0600 file made at first start. It encrypts nothing but DATA keys
// (envelope encryption, crypto/data-keys.ts): everything secret at rest
// (signing keys, client secrets, operator secrets, SRP and device verifiers,
// TOTP secrets, outbox bodies) is sealed with AES-256-GCM under a key derived
// from the current data key for that purpose, with the row's identity as
// associated data so a sealed value cannot be moved to another row. The
// data keys are stored wrapped by the master key, so rotating the master key
// re-wraps a handful of rows and leaves every sealed value as it is.
//
// Sealed values name their data key: `v2.<dataKeyId>.<iv>.<body>.<tag>`.
// Values of the older scheme (`v1.<iv>.<body>.<tag>`, sealed under the master
// key itself) still open: a database from before data keys keeps its old
// master key as the data key "v1" (data-keys.ts).
export class MasterKey {
  /** Unwrapped data keys by id, once `useDataKeys` has run; empty for a key not attached to a database. */
  private readonly dataKeys = new Map<string, Buffer>();
  private currentDataKey: string | null = null;
  private macRoot: Buffer;

  private constructor(private readonly key: Buffer) {
    this.macRoot = key;
  }

  static fromBytes(key: Buffer): MasterKey {
    if (key.length !== 32) throw new Error('The master key must be 32 bytes');
    return new MasterKey(key);
  }

  /** Loads the key from the environment or `<dataDir>/master.key`, creating the file if neither exists. */
  static loadOrCreate(dataDir: string, fromEnv: string | undefined): { key: MasterKey; created: boolean } {
    if (fromEnv) return { key: MasterKey.fromBytes(Buffer.from(fromEnv, 'base64')), created: false };
    const file = join(dataDir, 'master.key');
    if (existsSync(file)) {
      // Held to the bar of --master-key-file: a key others can read is refused, not used.
      if ((statSync(file).mode & 0o077) !== 0) throw new ConfigError([`${file} is readable or writable by others; make it 0600 (chmod 600 ${file})`]);
      return { key: MasterKey.fromBytes(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')), created: false };
    }
    const bytes = randomBytes(32);
    // Durably and atomically: a crash here must never leave an empty key file that bricks the next start.
    writeFileDurably(file, `${bytes.toString('base64')}\n`, { exclusive: true });
    chmodSync(file, 0o600);
    return { key: MasterKey.fromBytes(bytes), created: true };
  }

  /** A short public name of this master key (not secret): data-key rows record which master key wraps them. */
  get id(): string {
    return createHmac('sha256', derive(this.key, 'master-key-id')).update('cognate').digest('base64url').slice(0, 16);
  }

  /** Wraps a data key under this master key; the data key's id is bound in as associated data. */
  wrap(dataKeyId: string, dataKey: Buffer): string {
    return sealWith(derive(this.key, 'data-key'), dataKeyId, dataKey, ['v1']);
  }

  /** This key wrapped as the legacy data key "v1": an upgraded database keeps opening what it sealed before data keys. */
  wrapSelfAsLegacy(): string {
    return this.wrap(LEGACY_DATA_KEY_ID, this.key);
  }

  /** Unwraps a data key; throws when this is not the master key that wrapped it. */
  unwrap(dataKeyId: string, wrapped: string): Buffer {
    const [version, ...rest] = wrapped.split('.');
    if (version !== 'v1' || rest.length !== 3) throw new Error('Unknown wrapped-key format');
    return openWith(derive(this.key, 'data-key'), dataKeyId, rest);
  }

  /**
   * Makes this a keyring: seal with `current` from now on, open by the data
   * key named in each value, MAC with `macKeyId` (the oldest data key, which
   * never changes, so stored MACs outlive master-key rotations).
   */
  useDataKeys(keys: Map<string, Buffer>, current: string, macKeyId: string): void {
    for (const [id, bytes] of keys) this.dataKeys.set(id, bytes);
    const mac = keys.get(macKeyId);
    if (!keys.has(current) || !mac) throw new Error('The current and MAC data keys must be among the data keys');
    this.currentDataKey = current;
    this.macRoot = mac;
  }

  seal(purpose: string, context: string, plaintext: Buffer | string): string {
    if (this.currentDataKey === null) return sealWith(derive(this.key, purpose), context, plaintext, ['v1']);
    return sealWith(derive(this.dataKeys.get(this.currentDataKey)!, purpose), context, plaintext, ['v2', this.currentDataKey]);
  }

  open(purpose: string, context: string, sealed: string): Buffer {
    const [version, ...rest] = sealed.split('.');
    if (version === 'v1' && rest.length === 3) {
      // The old scheme: the master key of the time, kept as data key "v1" by an upgraded database.
      const root = this.currentDataKey === null ? this.key : this.dataKeys.get(LEGACY_DATA_KEY_ID);
      if (!root) throw new Error('Sealed value of the old scheme, and this database has no legacy data key');
      return openWith(derive(root, purpose), context, rest);
    }
    if (version === 'v2' && rest.length === 4) {
      const [dataKeyId, ...parts] = rest;
      const root = this.dataKeys.get(dataKeyId!);
      if (!root) throw new Error(`Sealed with data key ${dataKeyId}, which this process does not hold`);
      return openWith(derive(root, purpose), context, parts);
    }
    throw new Error('Unknown sealed-value format');
  }

  /** A keyed hash for low-entropy secrets (six-digit codes): useless without the keys. */
  mac(purpose: string, message: string): string {
    return createHmac('sha256', derive(this.macRoot, purpose)).update(message, 'utf8').digest('base64url');
  }
}

/** Id of the data key that is an upgraded database's old master key (values sealed `v1.`). */
export const LEGACY_DATA_KEY_ID = 'v1';

// HKDF on every seal, open and MAC was a tenth of the CPU of a signed admin
// call; a root key's derived keys are kept as long as the root itself is.
const derived = new WeakMap<Buffer, Map<string, Buffer>>();

function derive(root: Buffer, purpose: string): Buffer {
  let byPurpose = derived.get(root);
  if (byPurpose === undefined) {
    byPurpose = new Map();
    derived.set(root, byPurpose);
  }
  let key = byPurpose.get(purpose);
  if (key === undefined) {
    key = Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `cognate:${purpose}`, 32));
    byPurpose.set(purpose, key);
  }
  return key;
}

function sealWith(key: Buffer, context: string, plaintext: Buffer | string, prefix: string[]): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [...prefix, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

function openWith(key: Buffer, context: string, [iv, body, tag]: string[]): Buffer {
  if (iv === undefined || body === undefined || tag === undefined) throw new Error('Unknown sealed-value format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
