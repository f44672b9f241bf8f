import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createVerifier, type AccessTokenClaims, type IdTokenClaims } from '../src/index.ts';
import { optionalAuth, requireAuth } from '../src/express.ts';
// Test-only: the server's own key maker, to rotate a pool's keys the way a
// rotation will (a new active key next to the old one) until Cognate has an
// operation for it.
import { newSigningKey } from '../../server/src/crypto/signing-keys.ts';
import { cognatePool, type CognatePool } from './helpers/cognate.ts';

// Proof against reality: tokens issued by a running Cognate over the AWS SDK.

const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;

describe('tokens issued by a running Cognate', () => {
  let p: CognatePool;
  let tokens: Awaited<ReturnType<CognatePool['signIn']>>;

  before(async () => {
    p = await cognatePool();
    tokens = await p.signIn();
  });
  after(() => p.c.stop());

  it('verifies the access token, fetching the JWKS from <issuer>/.well-known/jwks.json', async () => {
    const v = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId });
    assert.equal(v.jwksUri, `${p.c.url}/${p.poolId}/.well-known/jwks.json`);
    const claims: AccessTokenClaims = await v.verify(tokens.AccessToken);
    assert.equal(claims.token_use, 'access');
    assert.equal(claims.client_id, p.clientId);
    assert.equal(claims.iss, p.issuer);
    assert.equal(claims.scope, 'aws.cognito.signin.user.admin');
    assert.equal(typeof claims.username, 'string');
    assert.equal(claims['aud'], undefined);
    assert.equal(claims.exp - claims.iat, 3600);
  });

  it('verifies the ID token, signed with a different key', async () => {
    const v = createVerifier({ issuer: p.issuer, tokenUse: 'id', clientId: p.clientId });
    const claims: IdTokenClaims = await v.verify(tokens.IdToken);
    assert.equal(claims.aud, p.clientId);
    assert.equal(claims.email, 'user@example.com');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, 'Verify Test');
    assert.equal(typeof claims['cognito:username'], 'string');
    assert.deepEqual(Object.keys(header(tokens.IdToken)).sort(), ['alg', 'kid']);
    assert.equal(header(tokens.IdToken)['alg'], 'RS256');
    assert.notEqual(header(tokens.IdToken)['kid'], header(tokens.AccessToken)['kid']);
  });

  it('refuses each token where the other is expected, another client, another issuer, and a tampered token', async () => {
    const access = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId });
    const id = createVerifier({ issuer: p.issuer, tokenUse: 'id', clientId: p.clientId });
    await assert.rejects(access.verify(tokens.IdToken), { code: 'ERR_TOKEN_USE' });
    await assert.rejects(id.verify(tokens.AccessToken), { code: 'ERR_TOKEN_USE' });
    const otherClient = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: 'someotherclient0000000000' });
    await assert.rejects(otherClient.verify(tokens.AccessToken), { code: 'ERR_CLIENT_ID' });
    const otherIssuer = createVerifier({ issuer: `${p.c.url}/us-east-1_Elsewhere`, jwksUri: access.jwksUri, tokenUse: 'access', clientId: p.clientId });
    await assert.rejects(otherIssuer.verify(tokens.AccessToken), { code: 'ERR_ISSUER' });
    const [h, payload, s] = tokens.AccessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, username: 'someone-else' })).toString('base64url')}.${s}`;
    await assert.rejects(access.verify(tampered), { code: 'ERR_SIGNATURE' });
  });

  it('verifies synchronously after hydrate(), and verifies refreshed tokens', async () => {
    const v = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId });
    await v.hydrate();
    const first = v.verifySync(tokens.AccessToken);
    const refreshed = await p.refresh(tokens.RefreshToken);
    const again = v.verifySync(refreshed.AccessToken);
    assert.equal(again.sub, first.sub);
    assert.equal(again.auth_time, first.auth_time);
    assert.equal(again.origin_jti, first.origin_jti);
  });

  it('picks up a key rotation: new kids after the cool-down, old tokens still valid while their key is published', async () => {
    let clock = Date.now();
    const access = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId, jwks: { now: () => clock, cooldownMs: 30_000 } });
    const id = createVerifier({ issuer: p.issuer, tokenUse: 'id', clientId: p.clientId, jwks: access.jwks });
    await access.hydrate();
    const before = tokens;
    const fetchesBefore = access.jwks.fetchCount;

    const { master, store } = p.c.deps;
    const later = Date.now() + 1000;
    await store.pools.insertSigningKey(await newSigningKey(master, p.poolId, 'access', later));
    await store.pools.insertSigningKey(await newSigningKey(master, p.poolId, 'id', later));
    const after = await p.signIn();
    assert.notEqual(header(after.AccessToken)['kid'], header(before.AccessToken)['kid']);
    assert.notEqual(header(after.IdToken)['kid'], header(before.IdToken)['kid']);

    // Within the cool-down of the last fetch the new kid is not fetched...
    await assert.rejects(access.verify(after.AccessToken), { code: 'ERR_KID_UNKNOWN' });
    assert.equal(access.jwks.fetchCount, fetchesBefore);
    // ...after it, one fetch brings both new keys.
    clock += 30_000;
    assert.equal((await access.verify(after.AccessToken)).token_use, 'access');
    assert.equal((await id.verify(after.IdToken)).token_use, 'id');
    assert.equal(access.jwks.fetchCount, fetchesBefore + 1);
    assert.ok(access.verifySync(before.AccessToken));
    assert.ok(id.verifySync(before.IdToken));
  });

  it("protects the seed's routes through the Express middleware", async () => {
    const verifier = createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId });
    const app = express();
    app.get('/api/activities/home', optionalAuth(verifier), (req, res) => {
      res.json({ feed: req.auth ? `home of ${req.auth.username}` : 'public' });
    });
    app.get('/api/profile', requireAuth(verifier), (req, res) => res.json({ sub: req.auth?.sub }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const get = async (path: string, token?: string) => {
        const res = await fetch(base + path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
        return { status: res.status, body: (await res.json()) as Record<string, unknown>, challenge: res.headers.get('www-authenticate') };
      };
      const me = await createVerifier({ issuer: p.issuer, tokenUse: 'access', clientId: p.clientId }).verify(tokens.AccessToken);
      assert.deepEqual((await get('/api/activities/home', tokens.AccessToken)).body, { feed: `home of ${me.username}` });
      assert.deepEqual((await get('/api/activities/home')).body, { feed: 'public' });
      assert.deepEqual((await get('/api/activities/home', tokens.IdToken)).body, { feed: 'public' });
      assert.deepEqual((await get('/api/profile', tokens.AccessToken)).body, { sub: me.sub });
      const refused = await get('/api/profile', tokens.IdToken);
      assert.equal(refused.status, 401);
      assert.equal(refused.challenge, 'Bearer error="invalid_token", error_description="ERR_TOKEN_USE"');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
