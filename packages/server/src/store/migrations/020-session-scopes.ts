import type { Kysely } from 'kysely';

// A token family remembers the scopes it was granted, so every access token
// minted from it (a refresh) carries the same: the API sign-ins grant
// Cognito's `aws.cognito.signin.user.admin`, the OAuth endpoints will grant
// what the client asked for and may have. Null, as in the families made
// before this column, is that default scope.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('scope', 'text').execute();
}
