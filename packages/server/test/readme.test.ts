import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { schema } from '../src/config/schema.ts';
// @ts-expect-error: a plain .mjs script without type declarations
import { readmeWithOperations } from '../../../scripts/readme-operations.mjs';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every configuration key with its flag, variable and default', () => {
    for (const key of Object.values(schema)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`--${key.flag}\` |`));
      assert.ok(row, `README has a row for --${key.flag}`);
      assert.ok(row.includes(`\`${key.env}\``), `${key.flag} row names ${key.env}`);
      assert.ok(
        row.includes(
          key.description
            .replace(/<([^>]+)>/g, '<$1>')
            .split(';')[0]!
            .split(' (')[0]!,
        ),
        `${key.flag} row carries its description`,
      );
      if (typeof key.default !== 'function')
        assert.ok(row.includes(key.default === null ? '(unset)' : `\`${String(key.default)}\``), `${key.flag} row shows its default`);
    }
  });

  it('lists exactly the implemented operations (node scripts/readme-operations.mjs)', () => {
    assert.equal(readmeWithOperations(readme) as string, readme);
  });
});
