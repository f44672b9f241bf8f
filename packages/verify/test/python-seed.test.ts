import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cognatePool, type CognatePool } from './helpers/cognate.ts';

// The seed's backend check (Python, python-jose: test/fixtures/seed_verifier.py)
// pointed at Cognate's JWKS accepts Cognate's tokens. Needs python-jose
// (Debian: python3-jose); skipped with a message without it, except under
// CI=true, where .ci/run installs it and a missing module is a failure.

const script = fileURLToPath(new URL('./fixtures/seed_verifier.py', import.meta.url));

// Debian's python3-jose lives in /usr/lib/python3/dist-packages, which a
// pyenv or virtualenv `python3` earlier on PATH does not see: try the
// system interpreter first. COGNATE_PYTHON names another one instead.
function findPython(): string | null {
  const candidates = process.env['COGNATE_PYTHON'] ? [process.env['COGNATE_PYTHON']] : ['/usr/bin/python3', 'python3'];
  for (const candidate of candidates) {
    const r = spawnSync(candidate, ['-c', 'import jose'], { stdio: 'ignore' });
    if (r.status === 0) return candidate;
  }
  return null;
}

const python = findPython();
const required = process.env['CI'] === 'true';
const skip = python === null && !required ? 'python-jose is not importable (install Debian package python3-jose); the seed-verifier test is SKIPPED' : false;
if (skip) console.error(`\n*** ${skip} ***\n`);

describe("the seed's Python verifier (python-jose)", { skip }, () => {
  let p: CognatePool;
  let tokens: Awaited<ReturnType<CognatePool['signIn']>>;
  before(async () => {
    assert.ok(python, 'CI=true but neither /usr/bin/python3 nor python3 can import jose: install python3-jose');
    p = await cognatePool();
    tokens = await p.signIn();
  });
  after(() => p?.c.stop());

  // Asynchronous: the server answering the JWKS request runs in this process.
  const run = (token: string, clientId = p.clientId) =>
    new Promise<{ status: number | null; out: string; err: string }>((resolve) => {
      execFile(python!, [script, `${p.issuer}/.well-known/jwks.json`, clientId, token], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout.trim(), err: stderr.trim() });
      });
    });

  it("accepts Cognate's access token (checking client_id) and ID token (checking aud)", async () => {
    const access = await run(tokens.AccessToken);
    assert.equal(access.status, 0, access.out + access.err);
    const claims = JSON.parse(access.out) as Record<string, unknown>;
    assert.equal(claims['token_use'], 'access');
    assert.equal(claims['client_id'], p.clientId);
    assert.equal(typeof claims['username'], 'string');
    const id = await run(tokens.IdToken);
    assert.equal(id.status, 0, id.out + id.err);
    assert.equal((JSON.parse(id.out) as Record<string, unknown>)['email'], 'user@example.com');
  });

  it('refuses a tampered token and another client, as the seed expects', async () => {
    const [h, payload, s] = tokens.AccessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, username: 'admin' })).toString('base64url')}.${s}`;
    assert.deepEqual(await run(tampered), { status: 1, out: 'TokenVerifyError: Signature verification failed', err: '' });
    assert.equal((await run(tokens.AccessToken, 'someotherclient')).out, 'TokenVerifyError: Token was not issued for this audience');
  });
});
