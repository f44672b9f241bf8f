import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ErrorCodes, statusFor, type ErrorCode } from '../src/index.ts';
import { accessClaims, CLIENT_ID, COGNITO_ISSUER, jwksOf, now, rsaKey, signToken } from './helpers/tokens.ts';

// The published shape: the package built with `npm run build` (as `npm ci`
// does through "prepare"), loaded by name through its exports map from ES
// modules and from CommonJS, with type declarations for both.

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

type Api = typeof import('../src/index.ts');
// Specifiers in variables: the type checker must not depend on dist existing.
const PKG = '@cognate/verify';
const load = (sub = ''): Promise<Record<string, unknown>> => import(PKG + sub) as Promise<Record<string, unknown>>;

describe('the built package', () => {
  before(async () => {
    // Build from the current sources, so the test never checks a stale dist.
    await run(process.execPath, ['scripts/build.js'], { cwd: root });
  });

  const exercise = async (api: Api) => {
    const key = rsaKey('pkg-key');
    const v = api.createVerifier({
      issuer: COGNITO_ISSUER,
      tokenUse: 'access',
      clientId: CLIENT_ID,
      now,
      jwks: { fetch: (async () => new Response('{}')) as typeof fetch },
    });
    v.cacheJwks(jwksOf(key));
    assert.equal(v.verifySync(signToken(key, accessClaims())).client_id, CLIENT_ID);
    assert.throws(
      () => v.verifySync('a.b.c'),
      (err: unknown) => api.isVerifyError(err) && err.code === 'ERR_BASE64',
    );
  };

  it('loads with import, including the express and fastify entry points', async () => {
    const api = (await load()) as unknown as Api;
    await exercise(api);
    const express = await load('/express');
    const fastify = await load('/fastify');
    for (const mod of [express, fastify]) assert.deepEqual(Object.keys(mod).sort(), ['optionalAuth', 'requireAuth', 'requireGroup', 'requireScope']);
    assert.equal(require.resolve(PKG).endsWith('dist/cjs/index.js'), true);
    assert.equal(import.meta.resolve(PKG).endsWith('dist/esm/index.js'), true);
  });

  it('loads with require, including the express and fastify entry points', async () => {
    const api = require(PKG) as Api;
    await exercise(api);
    for (const sub of ['@cognate/verify/express', '@cognate/verify/fastify']) {
      assert.deepEqual(Object.keys(require(sub) as object).sort(), ['optionalAuth', 'requireAuth', 'requireGroup', 'requireScope']);
    }
    // The two builds are two copies of the class: codes, not instanceof, cross them.
    const esm = (await load()) as unknown as Api;
    const err = new api.VerifyError('ERR_EXPIRED', 'x');
    assert.equal(err instanceof esm.VerifyError, false);
    assert.equal(esm.isVerifyError(err), true);
  });

  it('ships type declarations for both module systems', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, Record<string, { types: string; default: string }>>;
    };
    for (const entry of Object.values(pkg.exports)) {
      if (typeof entry === 'string') continue;
      for (const target of [entry['import']!, entry['require']!]) {
        assert.ok(existsSync(new URL(`../${target.types}`, import.meta.url)), target.types);
        assert.ok(existsSync(new URL(`../${target.default}`, import.meta.url)), target.default);
      }
    }
    // A consumer type-checks against them, as an ES module and as CommonJS.
    const tsc = require.resolve('typescript/package.json').replace(/package\.json$/, 'bin/tsc');
    await run(process.execPath, [tsc, '-p', 'test/fixtures/consumer/tsconfig.json'], { cwd: root }).catch((err: { stdout: string }) => assert.fail(err.stdout));
  });

  it("documents every error code with its status, and the README's TypeScript examples type-check against the build", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(ErrorCodes) as ErrorCode[]) assert.match(readme, new RegExp(`^\\| \`${code}\` \\| ${statusFor(code)} \\|`, 'm'), code);
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 4);
    // Inside the package, so '@cognate/verify' resolves as it does for an app.
    const dir = new URL('../.readme-check/', import.meta.url);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    try {
      for (const [i, code] of blocks.entries()) writeFileSync(new URL(`example-${i}.mts`, dir), code);
      writeFileSync(
        new URL('tsconfig.json', dir),
        JSON.stringify({
          compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
          include: ['*.mts'],
        }),
      );
      const tsc = require.resolve('typescript/package.json').replace(/package\.json$/, 'bin/tsc');
      await run(process.execPath, [tsc, '-p', fileURLToPath(new URL('tsconfig.json', dir))], { cwd: root }).catch((err: { stdout: string }) =>
        assert.fail(err.stdout),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
