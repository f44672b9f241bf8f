// Cruddur's own database: the users the app knows, as the seed's next week
// adds them (its schema.sql's `users` table), written by the post
// confirmation function (functions/post-confirmation.ts) when Cognito
// (here Cognate) confirms a sign-up. SQLite, so the example still runs with
// one command and no database server; the statements are the write-up's.
import Database from 'better-sqlite3';

export interface CruddurUser {
  uuid: string;
  display_name: string;
  handle: string;
  email: string;
  cognito_user_id: string;
  created_at: string;
}

/** Opens (creating when new) the database file at `path`. */
export function openCruddurDb(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS users (
    uuid TEXT PRIMARY KEY DEFAULT (lower(hex(randomblob(16)))),
    display_name TEXT NOT NULL,
    handle TEXT NOT NULL,
    email TEXT NOT NULL,
    cognito_user_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  return db;
}

/** The user Cognito's `sub` names, or undefined. */
export function userByCognitoId(db: Database.Database, sub: string): CruddurUser | undefined {
  return db.prepare('SELECT * FROM users WHERE cognito_user_id = ?').get(sub) as CruddurUser | undefined;
}
