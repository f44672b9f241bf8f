// Child process for test/durability.test.ts: migrates the database at
// argv[2] (a SQLite file, or a postgres:// URL with ?schema=) and SIGKILLs
// itself just before the argv[3]-th statement of the migrations, as a crash
// in the middle of a first start or an upgrade would. Reaching the end
// prints how many statements the migrations ran.
import type { Kysely, KyselyPlugin } from 'kysely';
import { migrate } from '../../src/store/migrate.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import type { Tables } from '../../src/store/tables.ts';

const [target, nth] = [process.argv[2]!, Number(process.argv[3])];
let seen = 0;
const dieAtNth: KyselyPlugin = {
  transformQuery(args) {
    if (++seen === nth) process.kill(process.pid, 'SIGKILL');
    return args.node;
  },
  transformResult: async (args) => args.result,
};
let db: Kysely<Tables>;
let schema: string | undefined;
if (target.startsWith('postgres')) ({ db, schema } = await openPostgres(target, { poolSize: 2, timeoutMs: null }));
else db = openSqlite(target);
await migrate(db.withPlugin(dieAtNth) as never, schema ? { schema } : {});
await db.destroy();
process.stdout.write(`completed after ${seen} statements\n`);
