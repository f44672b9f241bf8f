import type { TermsDescriptionType, TermsType } from '@aws-sdk/client-cognito-identity-provider';
import type { TermsDocument } from '../domain/oauth-config.ts';
import { epochSeconds, type Wire } from '../domain/wire.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';

export const describeTerms = (t: TermsDocument): Wire<TermsType> => ({
  TermsId: t.id,
  UserPoolId: t.poolId,
  ClientId: t.clientId,
  TermsName: t.name,
  TermsSource: t.source as TermsType['TermsSource'],
  Enforcement: t.enforcement as TermsType['Enforcement'],
  Links: t.links,
  CreationDate: epochSeconds(t.createdAt),
  LastModifiedDate: epochSeconds(t.updatedAt),
});

export const summarizeTerms = (t: TermsDocument): Wire<TermsDescriptionType> => ({
  TermsId: t.id,
  TermsName: t.name,
  Enforcement: t.enforcement as TermsType['Enforcement'],
  CreationDate: epochSeconds(t.createdAt),
  LastModifiedDate: epochSeconds(t.updatedAt),
});

/** "Terms document names must be unique to the app client" (TermsExistsException, API reference). Wording ours. */
export const termsExist = (name: string) => Errors.TermsExists(`Terms document ${name} already exists for this app client.`);

/** The pool's terms document with this ID, or ResourceNotFoundException (wording ours). */
export async function requireTerms(store: Store, poolId: string, id: string): Promise<TermsDocument> {
  const terms = await store.terms.get(poolId, id);
  if (!terms) throw Errors.ResourceNotFound(`Terms ${id} does not exist.`);
  return terms;
}

/** The Links map as stored; JSON carries no undefined values. */
export const linksOf = (links: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(links).filter((e): e is [string, string] => typeof e[1] === 'string'));
