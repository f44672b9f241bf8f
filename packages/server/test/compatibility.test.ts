import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain .mjs script without type declarations
import { compatibilityDoc, docFile, implementedOperations, loadModel, paginatedOperations } from '../../../scripts/compatibility.mjs';

const operationsDir = new URL('../src/cognito-api/operations/', import.meta.url);

describe('docs/compatibility.md', () => {
  it('is up to date with the API model and the operations folder (node scripts/compatibility.mjs)', () => {
    const current = readFileSync(docFile as URL, 'utf8');
    assert.equal(current, compatibilityDoc() as string, 'docs/compatibility.md is stale: run node scripts/compatibility.mjs');
  });

  it('lists every operation of the model exactly once and counts the implemented ones at the top', () => {
    const model = loadModel() as { operations: Record<string, unknown> };
    const names = Object.keys(model.operations);
    const doc = compatibilityDoc() as string;
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    assert.equal(rows.length, names.length);
    for (const name of names) assert.equal(rows.filter((r) => r.startsWith(`| \`${name}\``)).length, 1, name);
    const implemented = implementedOperations() as Map<string, string>;
    assert.ok(doc.includes(`**${implemented.size} of ${names.length} operations implemented.**`));
    for (const row of rows) {
      const name = /^\| `(\w+)`/.exec(row)![1]!;
      assert.match(row, implemented.has(name) ? /\| implemented \((public|access token|operator)\) \|$/ : /\| planned — (issue \d+|no issue yet) \(.+\) \|$/);
    }
  });
});

// Pagination audit: an operation Cognito paginates must hand out and accept
// only sealed page tokens (services/pagination.ts), never raw offsets or
// IDs, and must refuse a token it did not issue rather than ignore it.
// Operations that always answer in one page never issue a token, but still
// have to open (and so refuse) one presented to them.
const SINGLE_PAGE: Record<string, string> = {
  ListUserPoolClientSecrets: 'a client has at most two secrets',
};

/** An operation file's source followed by the services it imports, where a shared listing may live. */
function withHelpers(file: URL): string {
  const src = readFileSync(file, 'utf8');
  const helpers = [...src.matchAll(/from '(\.\.\/\.\.\/services\/[\w-]+\.ts)'/g)].map((m) => readFileSync(new URL(m[1]!, file), 'utf8'));
  return [src, ...helpers].join('\n');
}

describe('pagination audit', () => {
  const implemented = implementedOperations() as Map<string, string>;
  const paginated = (paginatedOperations() as string[]).filter((op) => implemented.has(op));

  it('covers the paginated operations implemented so far', () => {
    for (const op of ['ListUsers', 'ListUserPools', 'ListUserPoolClients']) assert.ok(paginated.includes(op), op);
  });

  for (const op of paginated) {
    it(`${op} opens incoming page tokens${SINGLE_PAGE[op] ? '' : ' and seals outgoing ones'} with pagination.ts`, () => {
      const src = withHelpers(new URL(`${op}.ts`, operationsDir));
      assert.match(src, /decodePageToken[<(]/, `${op} must open an incoming page token with decodePageToken (pagination.ts), refusing tokens it never issued`);
      if (!SINGLE_PAGE[op]) assert.match(src, /encodePageToken\(/, `${op} must seal its outgoing page token with encodePageToken (pagination.ts)`);
    });
  }
});
