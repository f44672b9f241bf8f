import { existsSync } from 'node:fs';
import { loadConfig } from '../config/load.ts';
import { pruneAudit } from '../audit/retention.ts';
import { AuditStore, type AuditQuery } from '../store/audit.ts';
import { sqliteFile } from '../store/open.ts';
import { openExistingStore } from './open-store.ts';
import type { AuditRecordRow } from '../store/tables.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const USAGE = `Usage: cognate audit <tail|search|verify|prune> [options]
  tail    [--limit N] [--json]                  the newest records, oldest of them first
  search  [--from TIME] [--to TIME] [--operation NAME] [--caller ID] [--outcome success|failure] [--limit N] [--json]
          TIME is ISO 8601 or epoch milliseconds; --caller matches an access key id, user sub or client id
  verify                                        walks the hash chain; exit status 1 names each broken record
  prune                                         drops records past --audit-retention-days now
`;

function time(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be ISO 8601 or epoch milliseconds, got "${raw}"`);
  return n;
}

class UsageError extends Error {}

function format(r: AuditRecordRow): string {
  const who = r.caller_kind === 'user' ? `user:${r.caller ?? '?'} client:${r.client_id ?? '?'}` : `${r.caller_kind}:${r.caller ?? '-'}`;
  const outcome = r.outcome === 'success' ? 'success' : `failure ${r.error_code ?? ''}`.trim();
  return `#${r.seq} ${new Date(r.time).toISOString()} ${r.service}:${r.operation} ${outcome} ${who} resource=${r.resource ?? '-'} ip=${r.source_ip} request=${r.request_id}\n  params ${r.params ?? '-'}\n`;
}

/** `cognate audit tail|search|verify|prune`: reads the audit trail of the database the configuration names. */
export async function audit(args: string[], flags: Record<string, string>, io: Io = stdio): Promise<number> {
  const sub = args[0];
  const { limit, json, from, to, operation, caller, outcome, ...rest } = flags;
  if (sub !== 'tail' && sub !== 'search' && sub !== 'verify' && sub !== 'prune') {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig(rest);
  if (config.databaseUrl === null && !existsSync(sqliteFile(config.dataDir))) {
    io.err(`No Cognate database in ${config.dataDir} (start Cognate first, or pass --data-dir)\n`);
    return 1;
  }
  // The chain is a MAC chain under the master key's keyring (store/audit.ts):
  // checking it, and pruning (which re-MACs the chain state), need the key.
  const { store, master } = await openExistingStore(config);
  const db = store.db;
  const trail = new AuditStore(db, master);
  try {
    if (sub === 'verify') {
      const result = await trail.verify();
      if (result.problems.length === 0) {
        const keyed =
          result.keyedFromSeq <= result.anchorSeq + 1
            ? 'every record keyed (HMAC-SHA256)'
            : result.keyedFromSeq > result.headSeq
              ? 'no keyed record yet (plain SHA-256 before the upgrade)'
              : `keyed (HMAC-SHA256) from record ${result.keyedFromSeq}, plain SHA-256 before`;
        io.out(`Audit chain intact: ${result.checked} records (${result.anchorSeq + 1}..${result.headSeq}), head ${result.headHash}; ${keyed}\n`);
        return 0;
      }
      io.out(`Audit chain BROKEN (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${result.checked} records):\n`);
      for (const p of result.problems) io.out(`  record ${p.seq}: ${p.problem}\n`);
      return 1;
    }
    if (sub === 'prune') {
      const n = await pruneAudit(db, master, Date.now(), config.auditRetentionDays);
      io.out(`Pruned ${n} audit record${n === 1 ? '' : 's'} older than ${config.auditRetentionDays} days.\n`);
      return 0;
    }
    const n = Number(limit ?? (sub === 'tail' ? 20 : 100));
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`--limit must be a whole number from 1 to 100000, got "${limit}"`);
    if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure') throw new UsageError(`--outcome must be success or failure, got "${outcome}"`);
    const query: AuditQuery =
      sub === 'tail'
        ? { limit: n, newestFirst: true }
        : {
            limit: n,
            ...(from !== undefined ? { from: time(from, 'from')! } : {}),
            ...(to !== undefined ? { to: time(to, 'to')! } : {}),
            ...(operation !== undefined ? { operation } : {}),
            ...(caller !== undefined ? { caller } : {}),
            ...(outcome !== undefined ? { outcome } : {}),
          };
    const rows = await trail.search(query);
    if (sub === 'tail') rows.reverse();
    if (json === 'true') for (const r of rows) io.out(`${JSON.stringify(r)}\n`);
    else if (!rows.length) io.out('No audit records match.\n');
    else for (const r of rows) io.out(format(r));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}
