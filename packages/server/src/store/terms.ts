import type { Kysely } from 'kysely';
import type { TermsDocument } from '../domain/oauth-config.ts';
import type { Tables, TermsDocumentRow } from './tables.ts';

const toTerms = (r: TermsDocumentRow): TermsDocument => ({
  id: r.terms_id,
  poolId: r.pool_id,
  clientId: r.client_id,
  name: r.terms_name as TermsDocument['name'],
  source: r.terms_source,
  enforcement: r.enforcement,
  links: JSON.parse(r.links) as Record<string, string>,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** Terms documents: names unique per app client; rows go with their client (client_id sweep) and pool (cascade). */
export class TermsStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async get(poolId: string, termsId: string): Promise<TermsDocument | null> {
    const row = await this.db
      .selectFrom('terms_documents')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('terms_id', '=', termsId.toLowerCase())
      .executeTakeFirst();
    return row ? toTerms(row) : null;
  }

  /** The client's documents (at most one of each name), by name. */
  async forClient(poolId: string, clientId: string): Promise<TermsDocument[]> {
    const rows = await this.db
      .selectFrom('terms_documents')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .orderBy('terms_name')
      .execute();
    return rows.map(toTerms);
  }

  /** The pool's documents in creation order (then ID), after the cursor. */
  async list(poolId: string, limit: number, after: { createdAt: number; id: string } | null): Promise<TermsDocument[]> {
    let q = this.db.selectFrom('terms_documents').selectAll().where('pool_id', '=', poolId);
    if (after !== null) {
      q = q.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('terms_id', '>', after.id)])]));
    }
    return (await q.orderBy('created_at').orderBy('terms_id').limit(limit).execute()).map(toTerms);
  }

  /** False when the client already has a document of that name (nothing is then written). */
  async insert(t: TermsDocument): Promise<boolean> {
    const result = await this.db
      .insertInto('terms_documents')
      .values({
        terms_id: t.id,
        pool_id: t.poolId,
        client_id: t.clientId,
        terms_name: t.name,
        terms_source: t.source,
        enforcement: t.enforcement,
        links: JSON.stringify(t.links),
        created_at: t.createdAt,
        updated_at: t.updatedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async update(t: TermsDocument): Promise<void> {
    await this.db
      .updateTable('terms_documents')
      .set({ terms_name: t.name, terms_source: t.source, enforcement: t.enforcement, links: JSON.stringify(t.links), updated_at: t.updatedAt })
      .where('terms_id', '=', t.id)
      .execute();
  }

  async delete(termsId: string): Promise<void> {
    await this.db.deleteFrom('terms_documents').where('terms_id', '=', termsId).execute();
  }
}
