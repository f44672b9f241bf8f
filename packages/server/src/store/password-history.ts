import type { Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/** PLACEHOLDER: Previous password hashes (PasswordHistorySize). */
export class PasswordHistoryStore {
  constructor(protected readonly db: Kysely<Tables>) {}
}
