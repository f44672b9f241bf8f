import { existsSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../config/load.ts';
import { systemClock } from '../services/clock.ts';
import { cryptoIds } from '../services/ids.ts';
import { Mailer } from '../services/mailer.ts';
import { sqliteFile } from '../store/open.ts';
import { openExistingStore } from './open-store.ts';

/** `cognate outbox [--to ADDRESS] [--pool ID] [--limit N] [--json]`: recent mail, so a developer can read a code. */
export async function outbox(flags: Record<string, string>): Promise<number> {
  const { to, pool, json, limit, ...rest } = flags;
  const config = loadConfig(rest);
  if (config.databaseUrl === null && !existsSync(sqliteFile(config.dataDir))) {
    process.stderr.write(`No Cognate database in ${config.dataDir} (start Cognate first, or pass --data-dir)\n`);
    return 1;
  }
  // With the data keys unwrapped (cli/open-store.ts): outbox bodies are sealed under them.
  const { store, master } = await openExistingStore(config);
  try {
    const mailer = new Mailer({
      store,
      master,
      clock: systemClock,
      ids: cryptoIds,
      log: pino({ level: 'silent' }),
      smtpUrl: null,
      defaultFrom: config.mailFrom,
    });
    const messages = await mailer.recent({ ...(to ? { to } : {}), ...(pool ? { poolId: pool } : {}), limit: Number(limit ?? 20) || 20 });
    if (json === 'true') {
      process.stdout.write(`${JSON.stringify(messages, null, 2)}\n`);
      return 0;
    }
    if (!messages.length) process.stdout.write('The outbox is empty.\n');
    for (const m of messages) {
      const status = m.deliveredAt ? 'sent' : m.error ? `not sent: ${m.error}` : 'kept in outbox';
      process.stdout.write(
        `${new Date(m.createdAt).toISOString()}  to ${m.to}  pool ${m.poolId ?? '-'}  (${status})\n  Subject: ${m.subject}\n  ${m.body}\n\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
