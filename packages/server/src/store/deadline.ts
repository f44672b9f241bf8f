import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { DatabaseFault } from './database-errors.ts';

/**
 * Bounds a whole transaction, which PostgreSQL 15 cannot do itself
 * (`transaction_timeout` came in 17): statement_timeout bounds each
 * statement and idle_in_transaction_session_timeout each pause between them,
 * but a transaction of many quick statements could still hold its
 * connection, and the schema's transaction lock, indefinitely. Past the
 * deadline the next statement is refused before it is sent; the error
 * rolls the transaction back and answers the request as a timeout.
 * Monotonic time: an operational bound, not a rule tests move the clock for.
 */
export class DeadlinePlugin implements KyselyPlugin {
  private readonly deadline: number;

  constructor(timeoutMs: number) {
    this.deadline = performance.now() + timeoutMs;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (performance.now() > this.deadline) throw new DatabaseFault('timeout', 'transaction ran past --database-timeout');
    return args.node;
  }

  // Prepared statements (store/prepared.ts) are compiled once and never pass
  // through transformQuery; every statement's result passes here, so a
  // transaction past its deadline fails at its next statement either way.
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (performance.now() > this.deadline) throw new DatabaseFault('timeout', 'transaction ran past --database-timeout');
    return args.result;
  }
}
