// Builds the package for both module systems from the same sources:
// dist/esm (ES modules, this package's "type") and dist/cjs (CommonJS, marked
// by its own package.json), each with .d.ts files. Runs on `npm ci` through
// the "prepare" script, and from the tests that load the built package.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const config of ['tsconfig.esm.json', 'tsconfig.cjs.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', config], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`@cognate/verify: tsc -p ${config} failed`);
    process.exit(r.status ?? 1);
  }
}
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
