// Writes README.md's list of implemented operations from the operation files
// (their auth mode read from the helper each one uses). `--check` only compares.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const dir = new URL('packages/server/src/cognito-api/operations/', root);
const modes = { publicOperation: 'public', accessTokenOperation: 'token', operatorOperation: 'operator' };

export function operationsList() {
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => {
      const src = readFileSync(new URL(f, dir), 'utf8');
      const helper = Object.keys(modes).find((h) => src.includes(`${h}<`) || src.includes(`${h}(`));
      return `- \`${f.replace(/\.ts$/, '')}\` (${modes[helper] ?? '?'})`;
    });
  return `<!-- operations:start -->\n${lines.join('\n')}\n<!-- operations:end -->`;
}

export function readmeWithOperations(readme) {
  return readme.replace(/<!-- operations:start -->[\s\S]*<!-- operations:end -->/, operationsList());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL('README.md', root);
  const before = readFileSync(file, 'utf8');
  const after = readmeWithOperations(before);
  if (process.argv.includes('--check')) {
    if (before !== after) {
      console.error('README.md operations list is stale: run node scripts/readme-operations.mjs');
      process.exit(1);
    }
  } else writeFileSync(file, after);
}
