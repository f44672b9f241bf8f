import { ConfigError } from '../errors/config-error.ts';
import { loadConfig } from '../config/load.ts';
import { systemClock } from '../services/clock.ts';
import { rotateSigningKeys } from '../services/signing-key-rotation.ts';
import { openExistingStore } from './open-store.ts';

const USAGE = `Usage: cognate signing-keys rotate --pool POOL_ID [--data-dir DIR] [--database-url URL]

New ID and access signing keys for the pool sign from now on; the old ones stay in
the pool's JWKS until every token they signed has expired (the longest token
validity of the pool's app clients), then leave it.
`;

/** `cognate signing-keys rotate --pool ID`. */
export async function signingKeys(positionals: string[], flags: Record<string, string>): Promise<number> {
  const { pool, ...rest } = flags;
  if (positionals[0] !== 'rotate') {
    process.stdout.write(USAGE);
    return positionals.length === 0 || flags['help'] ? 0 : 1;
  }
  if (!pool || pool === 'true') throw new ConfigError(['signing-keys rotate: --pool POOL_ID is required']);
  const config = loadConfig(rest);
  const { store, master } = await openExistingStore(config);
  try {
    if (!(await store.pools.pool(pool))) {
      process.stderr.write(`User pool ${pool} does not exist.\n`);
      return 1;
    }
    const result = await rotateSigningKeys({ store, master, clock: systemClock }, pool);
    const lines = [`Rotated the signing keys of ${pool}: ID key ${result.kids.id}, access key ${result.kids.access} sign from now on.`];
    for (const r of result.retired) lines.push(`  Retired ${r.kid}: in the JWKS until ${new Date(r.publishedUntil).toISOString()}.`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
