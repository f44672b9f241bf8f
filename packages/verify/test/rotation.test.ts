import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createVerifier } from '../src/index.ts';
// The server's command line, run as a real process on the test server's database.
import { BIN } from '../../server/test/helpers/cli.ts';
import { cognatePool, type CognatePool } from './helpers/cognate.ts';

// Issue 5, "before and after a key rotation": a verifier that holds the pool's
// JWKS from before `cognate signing-keys rotate` verifies the tokens signed
// after it by fetching the JWKS again for the unknown kid (once, after its
// cool-down), and keeps verifying the tokens signed before it.

const run = promisify(execFile);
const kidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

describe('a verifier across a signing-key rotation', () => {
  let p: CognatePool;
  before(async () => {
    p = await cognatePool();
  });
  after(() => p.c.stop());

  it('holds the old JWKS, picks up the new keys through its unknown-kid refetch, and keeps verifying old tokens', async () => {
    const old = await p.signIn();
    let clock = Date.now();
    const access = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId, jwks: { now: () => clock, cooldownMs: 30_000 } });
    const id = createVerifier({ issuer: p.issuer, tokenUse: 'id', clientId: p.clientId, jwks: access.jwks });
    await access.hydrate();
    const fetches = access.jwks.fetchCount;
    assert.equal(access.verifySync(old.AccessToken).token_use, 'access');

    const db = p.c.deps.config.databaseUrl ? ['--database-url', p.c.deps.config.databaseUrl] : [];
    const env = { ...process.env };
    delete env['COGNATE_MASTER_KEY'];
    const out = await run(process.execPath, [BIN, 'signing-keys', 'rotate', '--pool', p.poolId, '--data-dir', p.c.dataDir, ...db], { env });
    assert.match(out.stdout, /Rotated the signing keys/);

    const fresh = await p.signIn();
    assert.notEqual(kidOf(fresh.AccessToken), kidOf(old.AccessToken));
    assert.notEqual(kidOf(fresh.IdToken), kidOf(old.IdToken));
    // Still inside the cool-down of the hydrating fetch: the unknown kid is not fetched yet.
    await assert.rejects(access.verify(fresh.AccessToken), { code: 'ERR_KID_UNKNOWN' });
    assert.equal(access.jwks.fetchCount, fetches);
    // After it, one fetch brings both new keys; the old keys are still published, so old tokens verify too.
    clock += 30_000;
    assert.equal((await access.verify(fresh.AccessToken)).token_use, 'access');
    assert.equal((await id.verify(fresh.IdToken)).token_use, 'id');
    assert.equal(access.jwks.fetchCount, fetches + 1);
    assert.equal(access.verifySync(old.AccessToken).sub, access.verifySync(fresh.AccessToken).sub);
    assert.equal(id.verifySync(old.IdToken).aud, p.clientId);

    // A verifier that starts after the rotation verifies both generations from one fetch.
    const late = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId, jwks: { cooldownMs: 1000 } });
    await late.hydrate();
    assert.ok(late.verifySync(old.AccessToken));
    assert.ok(late.verifySync(fresh.AccessToken));
  });
});
