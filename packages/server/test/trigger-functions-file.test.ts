import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../src/errors/config-error.ts';
import { FunctionMap } from '../src/triggers/function-map.ts';
import { BIN } from './helpers/cli.ts';
import { startCognate } from './helpers/server.ts';
import { arnOf, TriggerFunctions } from './helpers/trigger-functions.ts';

// The functions file (--functions): its mistakes stop the server at start
// with a ConfigError naming each one, rather than failing sign-ups later.

describe('The functions file', () => {
  const dir = new TriggerFunctions();
  const handler = dir.file('handler.mjs', 'export const handler = async (event) => event;');
  after(() => dir.cleanup());
  /** A functions file of these entries, by this file name. */
  const functionsFile = (name: string, functions: Record<string, unknown>) => dir.file(name, JSON.stringify({ functions }));

  /** The problems buildApp refuses the file with. */
  const problemsOf = async (path: string): Promise<string[]> => {
    const err = await startCognate({ config: { functionsFile: path } }).then(
      async (running) => {
        await running.stop();
        return null;
      },
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  };

  it('is refused at start when it is not JSON, or has no "functions" object', async () => {
    assert.match((await problemsOf(dir.file('bad.json', '{"functions": {'))).join('\n'), /^functions file .*bad\.json: .*JSON/);
    assert.deepEqual(await problemsOf(dir.file('list.json', '{"functions": []}')), [
      `functions file ${join(dir.dir, 'list.json')}: expected {"functions": {"<name or ARN>": {...}}}`,
    ]);
    assert.match((await problemsOf(join(dir.dir, 'missing.json'))).join('\n'), /missing\.json: ENOENT/);
  });

  it('reports every wrong entry at once, each by its key', async () => {
    const file = functionsFile('many.json', {
      'no-target': { handler: 'handler' },
      'no-module-file': { module: './nowhere.mjs' },
      'bad-export': { module: './handler.mjs', handler: 'not an identifier' },
      'bad-url': { url: 'not a url' },
      'ftp-url': { url: 'ftp://example.com/hook' },
      both: { module: './handler.mjs', url: 'https://example.com/hook' },
      'secret-unset': { url: 'https://example.com/hook', secretEnv: 'COGNATE_TEST_UNSET_SECRET' },
      fine: { module: './handler.mjs' },
    });
    const where = (key: string) => `functions file ${file}, "${key}"`;
    assert.deepEqual(await problemsOf(file), [
      `${where('no-target')}: expected "module" or "url"`,
      `${where('no-module-file')}: module ${join(dir.dir, 'nowhere.mjs')} does not exist`,
      `${where('bad-export')}: "handler" must name an export`,
      `${where('bad-url')}: "url" is not a URL`,
      `${where('ftp-url')}: "url" must be http(s)`,
      `${where('both')}: give "module" or "url", not both`,
      `${where('secret-unset')}: environment variable COGNATE_TEST_UNSET_SECRET (its "secretEnv") is not set`,
    ]);
  });

  it('stops `cognate start --functions FILE` with status 2 and the problems on stderr', async () => {
    const data = mkdtempSync(join(tmpdir(), 'cognate-functions-start-'));
    try {
      const file = functionsFile('start.json', { 'secret-unset': { url: 'https://example.com/hook', secretEnv: 'COGNATE_TEST_UNSET_SECRET' } });
      const proc = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data-dir', data, '--functions', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        proc.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      assert.equal(code, 2, stderr);
      assert.match(stderr, /Invalid configuration:\n {2}functions file .*start\.json, "secret-unset": environment variable COGNATE_TEST_UNSET_SECRET/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('finds a function by its full ARN first, then by the name in any ARN', () => {
    const other = dir.file('other.mjs', 'export const handler = async (event) => event;');
    const file = functionsFile('lookup.json', { 'pre-sign-up': { module: './handler.mjs' }, [arnOf('pre-sign-up')]: { module: './other.mjs' } });
    const map = FunctionMap.load(file);
    const moduleOf = (arn: string) => {
      const fn = map.lookup(arn);
      return fn?.kind === 'module' ? fn.module : null;
    };
    assert.equal(moduleOf(arnOf('pre-sign-up')), other);
    assert.equal(moduleOf('arn:aws:lambda:eu-west-1:999999999999:function:pre-sign-up:live'), handler);
    assert.equal(map.lookup(arnOf('post-confirmation')), null);
  });
});
