import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Tables } from './tables.ts';

// Building and compiling a Kysely query (immutable nodes, then a visitor
// writing SQL) cost more CPU than SQLite took to run it: about a tenth of a
// GetUser (profile of bench/server.ts). The queries every request makes are
// built once per dialect instead, with a placeholder for each argument, and
// later calls only put the arguments in the placeholders' places.

const SLOT = '\u0000cognate-slot:';
// A parameter that is exactly a placeholder (not one with text around it).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL marks a slot no SQL text can contain.
const SLOT_PATTERN = /^\u0000cognate-slot:(\d+)$/;

/**
 * A query built once per SQL dialect. `build` receives placeholders for its
 * arguments and must use each only as a plain value (not in `in` lists, whose
 * length would vary, nor inside an expression Kysely transforms).
 */
export function prepared<A extends readonly unknown[], R>(
  build: (db: Kysely<Tables>, ...args: A) => Compilable<R>,
): (db: Kysely<Tables>, ...args: A) => CompiledQuery<R> {
  const byDialect = new Map<unknown, { compiled: CompiledQuery<R>; slots: number[] }>();
  return (db, ...args) => {
    const dialect = db.getExecutor().adapter.constructor;
    let entry = byDialect.get(dialect);
    if (entry === undefined) {
      const placeholders = args.map((_, i) => `${SLOT}${i}`) as unknown as A;
      const compiled = build(db, ...placeholders).compile();
      const slots = compiled.parameters.map((p) => {
        const m = typeof p === 'string' ? SLOT_PATTERN.exec(p) : null;
        return m ? Number(m[1]) : -1;
      });
      const used = new Set(slots.filter((s) => s >= 0));
      if (used.size !== args.length || [...used].some((s) => s >= args.length))
        throw new Error(`prepared query does not use each argument as a parameter: ${compiled.sql}`);
      entry = { compiled, slots };
      byDialect.set(dialect, entry);
    }
    const { compiled, slots } = entry;
    return { ...compiled, parameters: slots.map((s, i) => (s < 0 ? compiled.parameters[i] : args[s])) };
  };
}

/** Runs a prepared query: its rows. */
export async function rows<R>(db: Kysely<Tables>, query: CompiledQuery<R>): Promise<R[]> {
  return (await db.executeQuery(query)).rows;
}

/** Runs a prepared query: its first row, if any. */
export async function firstRow<R>(db: Kysely<Tables>, query: CompiledQuery<R>): Promise<R | undefined> {
  return (await db.executeQuery(query)).rows[0];
}
