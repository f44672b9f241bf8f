import type { Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/** PLACEHOLDER: Groups and group memberships. */
export class GroupStore {
  constructor(protected readonly db: Kysely<Tables>) {}
}
