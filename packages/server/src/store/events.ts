import type { Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/** PLACEHOLDER: Per-user auth event history (AdminListUserAuthEvents). */
export class AuthEventStore {
  constructor(protected readonly db: Kysely<Tables>) {}
}
