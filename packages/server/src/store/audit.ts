import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { safeEqual, type MasterKey } from '../crypto/master-key.ts';
import type { AuditRecordRow, AuditStateRow, Tables } from './tables.ts';

/** The migration that keys the chain (store/migrations/023-audit-keyed.ts). */
export const AUDIT_KEYED_MIGRATION = '023-audit-keyed';

/** The `prev_hash` of the first record ever written. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditEntry = Omit<AuditRecordRow, 'seq' | 'prev_hash' | 'hash'>;

/** The canonical serialisation of a record: a JSON array of every column in a fixed order, `seq` and `prev_hash` included. */
function canonical(r: Omit<AuditRecordRow, 'hash'>): string {
  return JSON.stringify([
    r.seq,
    r.time,
    r.request_id,
    r.service,
    r.operation,
    r.resource,
    r.caller_kind,
    r.caller,
    r.client_id,
    r.source_ip,
    r.user_agent,
    r.params,
    r.outcome,
    r.error_code,
    r.status,
    r.prev_hash,
  ]);
}

/**
 * SHA-256 over a canonical serialisation of the record, so a record edited,
 * moved to another position or cut from its predecessor no longer matches.
 * `params` is already canonical text (keys sorted, audit/redact.ts). The
 * hash of the records written before the chain was keyed (migration 023).
 */
export function recordHash(r: Omit<AuditRecordRow, 'hash'>): string {
  return createHash('sha256').update(canonical(r), 'utf8').digest('hex');
}

/**
 * The same serialisation under HMAC-SHA256 with a key derived (HKDF, label
 * `cognate:audit-chain`) from the master key's keyring (MasterKey.mac: the
 * MAC root, which outlives master-key rotations). The key never enters the
 * database, so someone who can only write the database cannot recompute it.
 */
export function recordMac(master: MasterKey, r: Omit<AuditRecordRow, 'hash'>): string {
  return master.mac('audit-chain', canonical(r));
}

type ChainState = Pick<AuditStateRow, 'keyed_from_seq' | 'anchor_seq' | 'anchor_hash' | 'head_seq' | 'head_hash'>;

/** The MAC of the chain state: the keyed boundary, the anchor and the head cannot move without the key. */
export function stateMac(master: MasterKey, s: ChainState): string {
  return master.mac(
    'audit-state',
    JSON.stringify([s.keyed_from_seq === null ? null : Number(s.keyed_from_seq), Number(s.anchor_seq), s.anchor_hash, Number(s.head_seq), s.head_hash]),
  );
}

export interface AuditQuery {
  from?: number;
  to?: number;
  operation?: string;
  /** Matches the caller (access key id, user sub) or the client id. */
  caller?: string;
  outcome?: 'success' | 'failure';
  limit: number;
  /** Newest first (tail) instead of oldest first. */
  newestFirst?: boolean;
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

export interface VerifyResult {
  checked: number;
  /** The first record carrying a MAC; records before it carry plain SHA-256 (written before migration 023). */
  keyedFromSeq: number;
  anchorSeq: number;
  headSeq: number;
  headHash: string;
  problems: ChainProblem[];
}

const PAGE = 500;
const MAX_PROBLEMS = 50;

// The audit trail. Appends must run inside a Store transaction: it reads the
// head of the chain and writes the next record after it, and transactions
// run one at a time (SQLite's single connection; PostgreSQL's advisory lock,
// store/postgres.ts), so the chain stays linear under concurrent requests.
// The seq primary key would refuse a fork even if they did not.
export class AuditStore {
  constructor(
    protected readonly db: Kysely<Tables>,
    private readonly master: MasterKey,
  ) {}

  private state(): Promise<AuditStateRow | undefined> {
    return this.db.selectFrom('audit_state').selectAll().where('id', '=', 1).executeTakeFirst();
  }

  /**
   * Appends records after the current head, in the order given: one read of
   * the head, multi-row inserts, one head update. Call inside
   * `store.transaction` (audit/queue.ts writes each batch this way).
   */
  async appendMany(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const state = await this.state();
    let seq = state?.head_seq ?? 0;
    let prev_hash = state?.head_hash ?? GENESIS_HASH;
    // A new chain is keyed from its first record; an upgraded one from the boundary migration 023 set.
    const keyedFrom = state ? Number(state.keyed_from_seq ?? Number(state.head_seq) + 1) : 1;
    const rows: AuditRecordRow[] = entries.map((entry) => {
      seq += 1;
      const unsigned = { ...entry, seq, prev_hash };
      const row = { ...unsigned, hash: seq >= keyedFrom ? recordMac(this.master, unsigned) : recordHash(unsigned) };
      prev_hash = row.hash;
      return row;
    });
    // 17 columns a row: 100 rows stay far below either database's bind-parameter limit.
    for (let i = 0; i < rows.length; i += 100)
      await this.db
        .insertInto('audit_records')
        .values(rows.slice(i, i + 100))
        .execute();
    const next = {
      keyed_from_seq: keyedFrom,
      anchor_seq: state?.anchor_seq ?? 0,
      anchor_hash: state?.anchor_hash ?? GENESIS_HASH,
      head_seq: seq,
      head_hash: prev_hash,
    };
    const state_mac = stateMac(this.master, next);
    if (state)
      await this.db.updateTable('audit_state').set({ head_seq: seq, head_hash: prev_hash, keyed_from_seq: keyedFrom, state_mac }).where('id', '=', 1).execute();
    else
      await this.db
        .insertInto('audit_state')
        .values({ id: 1, ...next, pruned_at: null, state_mac })
        .execute();
  }

  /**
   * Right after migration 023 set the keyed boundary of an existing chain,
   * in the process that applied it (app.ts, cli/open-store.ts): MACs the
   * chain state, so the boundary cannot move later. Nothing else ever writes
   * a chain state without its MAC, so `verify` reports one as edited.
   */
  async sealUpgrade(): Promise<void> {
    const state = await this.state();
    if (state && state.state_mac === null)
      await this.db
        .updateTable('audit_state')
        .set({ state_mac: stateMac(this.master, state) })
        .where('id', '=', 1)
        .execute();
  }

  async search(q: AuditQuery): Promise<AuditRecordRow[]> {
    let query = this.db.selectFrom('audit_records').selectAll();
    if (q.from !== undefined) query = query.where('time', '>=', q.from);
    if (q.to !== undefined) query = query.where('time', '<', q.to);
    if (q.operation !== undefined) query = query.where('operation', '=', q.operation);
    if (q.outcome !== undefined) query = query.where('outcome', '=', q.outcome);
    if (q.caller !== undefined) {
      const caller = q.caller;
      query = query.where((eb) => eb.or([eb('caller', '=', caller), eb('client_id', '=', caller)]));
    }
    return query
      .orderBy('seq', q.newestFirst ? 'desc' : 'asc')
      .limit(q.limit)
      .execute();
  }

  /**
   * Drops the records older than `cutoff` and anchors the chain at the last
   * one dropped (its seq and hash), so what remains still verifies. Call
   * inside `store.transaction`. Returns how many records were dropped.
   */
  async prune(cutoff: number, now: number): Promise<number> {
    const last = await this.db
      .selectFrom('audit_records')
      .select(['seq', 'hash'])
      .where('time', '<', cutoff)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last) return 0;
    const deleted = await this.db.deleteFrom('audit_records').where('seq', '<=', last.seq).executeTakeFirst();
    const state = (await this.state())!;
    const state_mac = stateMac(this.master, { ...state, anchor_seq: last.seq, anchor_hash: last.hash });
    await this.db.updateTable('audit_state').set({ anchor_seq: last.seq, anchor_hash: last.hash, pruned_at: now, state_mac }).where('id', '=', 1).execute();
    return Number(deleted.numDeletedRows);
  }

  /**
   * Walks the chain from the anchor to the head: every record must follow
   * its predecessor by one position, carry its predecessor's hash, and hash
   * to what it claims; the last one must be the recorded head. Each break is
   * reported by record position (seq).
   */
  async verify(): Promise<VerifyResult> {
    const state = await this.state();
    const problems: ChainProblem[] = [];
    const report = (seq: number, problem: string): void => {
      if (problems.length < MAX_PROBLEMS) problems.push({ seq, problem });
    };
    let expectedSeq = (state?.anchor_seq ?? 0) + 1;
    let prevHash = state?.anchor_hash ?? GENESIS_HASH;
    let checked = 0;
    let after = state?.anchor_seq ?? 0;
    // Records from here on must carry a MAC: a plain hash there is a rewrite by someone without the key.
    const keyedFrom = state ? Number(state.keyed_from_seq ?? 1) : 1;
    if (state) {
      if (state.keyed_from_seq === null) report(Number(state.head_seq), 'the chain state has no keyed boundary (audit_state edited)');
      if (state.state_mac === null) {
        report(Number(state.head_seq), 'the chain state carries no MAC (audit_state edited)');
      } else if (!safeEqual(stateMac(this.master, state), state.state_mac)) {
        report(Number(state.head_seq), 'the chain state (head, pruning anchor or keyed boundary) does not match its MAC (audit_state edited)');
      }
    }
    if (!state) {
      const any = await this.db.selectFrom('audit_records').select('seq').limit(1).executeTakeFirst();
      if (any) report(any.seq, 'records exist but the chain head (audit_state) is missing');
    }
    // Rows before the anchor should have been pruned; one there was put back or renumbered.
    const early = await this.db.selectFrom('audit_records').select('seq').where('seq', '<=', after).orderBy('seq').limit(1).executeTakeFirst();
    if (early) report(early.seq, `record ${early.seq} lies at or before the pruning anchor (${after})`);

    for (;;) {
      const page = await this.db.selectFrom('audit_records').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
      for (const row of page) {
        checked++;
        if (row.seq !== expectedSeq) {
          report(row.seq, row.seq > expectedSeq ? `records ${expectedSeq}..${row.seq - 1} are missing (deleted)` : `record ${row.seq} is out of order`);
        }
        if (row.prev_hash !== prevHash)
          report(row.seq, `record ${row.seq} does not carry the hash of the record before it (a record was deleted, inserted or reordered before it)`);
        const { hash, ...rest } = row;
        const expected = row.seq >= keyedFrom ? recordMac(this.master, rest) : recordHash(rest);
        if (!safeEqual(expected, hash)) report(row.seq, `record ${row.seq} does not match its hash (edited or moved)`);
        expectedSeq = row.seq + 1;
        prevHash = row.hash;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    const headSeq = state?.head_seq ?? 0;
    const headHash = state?.head_hash ?? GENESIS_HASH;
    if (state && (expectedSeq - 1 !== headSeq || prevHash !== headHash)) {
      report(headSeq, `the chain ends at record ${expectedSeq - 1} but the head is record ${headSeq} (records deleted from the end, or the head edited)`);
    }
    return { checked, keyedFromSeq: keyedFrom, anchorSeq: state?.anchor_seq ?? 0, headSeq, headHash, problems };
  }
}
