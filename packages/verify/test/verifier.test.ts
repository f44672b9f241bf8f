import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  createVerifier,
  ErrorCodes,
  isVerifyError,
  statusFor,
  VerifyError,
  type AccessTokenClaims,
  type CognitoClaims,
  type IdTokenClaims,
} from '../src/index.ts';
import { JwksServer } from './helpers/jwks-server.ts';
import { accessClaims, CLIENT_ID, COGNITO_ISSUER, fakeFetch, idClaims, jwksOf, now, NOW_S, rsaKey, signToken, type TestKey } from './helpers/tokens.ts';

let access: TestKey;
let id: TestKey;
before(() => {
  // Cognito signs ID and access tokens with different keys.
  access = rsaKey('access-kid-1');
  id = rsaKey('id-kid-1');
});

describe('createVerifier › Cognito-shaped tokens', () => {
  it('verifies access and ID tokens laid out exactly as Cognito issues them, fetching <issuer>/.well-known/jwks.json', async () => {
    const fetchJwks = fakeFetch(() => jwksOf(access, id));
    const accessVerifier = createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: CLIENT_ID, now, jwks: { fetch: fetchJwks } });
    const claims: AccessTokenClaims = await accessVerifier.verify(signToken(access, accessClaims()));
    assert.deepEqual(fetchJwks.urls, [`${COGNITO_ISSUER}/.well-known/jwks.json`]);
    assert.equal(claims.client_id, CLIENT_ID);
    assert.equal(claims.token_use, 'access');
    assert.equal(claims.scope, 'aws.cognito.signin.user.admin');
    assert.deepEqual(claims['cognito:groups'], ['admin']);

    const idVerifier = createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'id', clientId: CLIENT_ID, now, jwks: { fetch: fetchJwks } });
    const idc: IdTokenClaims = await idVerifier.verify(signToken(id, idClaims()));
    assert.equal(idc.aud, CLIENT_ID);
    assert.equal(idc['cognito:username'], 'my-test-user');
    assert.equal(idc.email_verified, true);
  });

  it("builds tokens that AWS's own CognitoJwtVerifier accepts, so the shape really is Cognito's", () => {
    const nowS = Math.floor(Date.now() / 1000);
    const times = { auth_time: nowS - 5, iat: nowS - 5, exp: nowS + 3595 };
    const aws = CognitoJwtVerifier.create({ userPoolId: 'us-east-1_AbCdEfGhI', tokenUse: 'access', clientId: CLIENT_ID });
    aws.cacheJwks(jwksOf(access, id) as never);
    const token = signToken(access, accessClaims(times));
    assert.equal(aws.verifySync(token).username, 'my-test-user');
    const ours = createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: CLIENT_ID, jwks: { fetch: fakeFetch(() => jwksOf(access)) } });
    ours.cacheJwks(jwksOf(access, id));
    assert.equal(ours.verifySync(token).username, 'my-test-user');
  });

  it('accepts either token use with tokenUse null, checking the client in the field each one uses', async () => {
    const v = createVerifier({ issuer: COGNITO_ISSUER, tokenUse: null, clientId: CLIENT_ID, now, jwks: { fetch: fakeFetch(() => jwksOf(access, id)) } });
    const a: CognitoClaims = await v.verify(signToken(access, accessClaims()));
    const i: CognitoClaims = await v.verify(signToken(id, idClaims()));
    assert.equal(a.token_use, 'access');
    assert.equal(i.token_use, 'id');
    if (i.token_use === 'id') assert.equal(i.aud, CLIENT_ID); // narrowing works on the union
    await assert.rejects(v.verify(signToken(id, idClaims({ aud: 'other' }))), { code: 'ERR_CLIENT_ID', claim: 'aud' });
    await assert.rejects(v.verify(signToken(access, accessClaims({ client_id: 'other' }))), { code: 'ERR_CLIENT_ID', claim: 'client_id' });
  });

  it('accepts any client of a list, and skips the client check only for an explicit null', async () => {
    const list = createVerifier({
      issuer: COGNITO_ISSUER,
      tokenUse: 'access',
      clientId: ['firstclient', CLIENT_ID],
      now,
      jwks: { fetch: fakeFetch(() => jwksOf(access)) },
    });
    assert.ok(await list.verify(signToken(access, accessClaims())));
    const any = createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: null, now, jwks: { fetch: fakeFetch(() => jwksOf(access)) } });
    assert.ok(await any.verify(signToken(access, accessClaims({ client_id: 'whatever' }))));
    assert.throws(() => createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access' } as never), { code: 'ERR_CONFIG', message: /clientId is required/ });
    assert.throws(() => createVerifier({ issuer: COGNITO_ISSUER, clientId: null } as never), { code: 'ERR_CONFIG', message: /tokenUse/ });
    assert.throws(() => createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: [] }), { code: 'ERR_CONFIG' });
  });

  it('requires at least one of the groups, with ERR_GROUP and status 403', async () => {
    const v = createVerifier({
      issuer: COGNITO_ISSUER,
      tokenUse: 'access',
      clientId: CLIENT_ID,
      groups: ['ops', 'admin'],
      now,
      jwks: { fetch: fakeFetch(() => jwksOf(access)) },
    });
    assert.ok(await v.verify(signToken(access, accessClaims())));
    await assert.rejects(v.verify(signToken(access, accessClaims({ 'cognito:groups': ['users'] }))), { code: 'ERR_GROUP', status: 403 });
    await assert.rejects(v.verify(signToken(access, accessClaims({ 'cognito:groups': undefined }))), { code: 'ERR_GROUP' });
    await assert.rejects(v.verify(signToken(access, accessClaims({ 'cognito:groups': 'admin' }))), { code: 'ERR_CLAIM_INVALID', claim: 'cognito:groups' });
  });

  it('requires at least one of the scopes, with ERR_SCOPE and status 403', async () => {
    const v = createVerifier({
      issuer: COGNITO_ISSUER,
      tokenUse: 'access',
      clientId: CLIENT_ID,
      scopes: 'aws.cognito.signin.user.admin',
      now,
      jwks: { fetch: fakeFetch(() => jwksOf(access)) },
    });
    assert.ok(await v.verify(signToken(access, accessClaims({ scope: 'openid aws.cognito.signin.user.admin' }))));
    await assert.rejects(v.verify(signToken(access, accessClaims({ scope: 'openid email' }))), { code: 'ERR_SCOPE', status: 403 });
    await assert.rejects(v.verify(signToken(access, accessClaims({ scope: 'aws.cognito.signin.user.administrator' }))), { code: 'ERR_SCOPE' });
  });
});

describe('createVerifier › options', () => {
  it('refuses an issuer with a trailing slash, a query, or no URL at all', () => {
    const base = { tokenUse: 'access', clientId: CLIENT_ID } as const;
    assert.throws(() => createVerifier({ ...base, issuer: `${COGNITO_ISSUER}/` }), { code: 'ERR_CONFIG', message: /must not end with "\/"/ });
    assert.throws(() => createVerifier({ ...base, issuer: `${COGNITO_ISSUER}?x=1` }), { code: 'ERR_CONFIG' });
    assert.throws(() => createVerifier({ ...base, issuer: 'us-east-1_AbCdEfGhI' }), { code: 'ERR_CONFIG' });
    assert.throws(() => createVerifier({ ...base, issuer: 'ftp://example.com/p' }), { code: 'ERR_CONFIG' });
  });

  it('requires HTTPS for the JWKS except on loopback or with allowInsecureHttp', () => {
    const base = { tokenUse: 'access', clientId: CLIENT_ID } as const;
    assert.throws(() => createVerifier({ ...base, issuer: 'http://idp.example.com/us-east-1_AbCdEfGhI' }), { code: 'ERR_CONFIG', message: /must use https/ });
    assert.throws(() => createVerifier({ ...base, issuer: COGNITO_ISSUER, jwksUri: 'http://idp.example.com/jwks.json' }), { code: 'ERR_CONFIG' });
    for (const host of ['localhost:9229', '127.0.0.1:9229', '127.1.2.3', '[::1]:9229']) {
      assert.equal(
        createVerifier({ ...base, issuer: `http://${host}/us-east-1_AbCdEfGhI` }).jwksUri,
        `http://${host}/us-east-1_AbCdEfGhI/.well-known/jwks.json`,
      );
    }
    const optIn = createVerifier({ ...base, issuer: 'http://idp.internal/us-east-1_AbCdEfGhI', jwks: { allowInsecureHttp: true } });
    assert.equal(optIn.jwksUri, 'http://idp.internal/us-east-1_AbCdEfGhI/.well-known/jwks.json');
  });

  it('refuses bad numbers and algorithms', () => {
    const base = { issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: CLIENT_ID } as const;
    assert.throws(() => createVerifier({ ...base, clockSkewSeconds: -1 }), { code: 'ERR_CONFIG' });
    assert.throws(() => createVerifier({ ...base, maxLifetimeSeconds: 0 }), { code: 'ERR_CONFIG' });
    assert.throws(() => createVerifier({ ...base, algorithms: [] }), { code: 'ERR_CONFIG' });
    assert.throws(() => createVerifier({ ...base, algorithms: ['none' as never] }), { code: 'ERR_CONFIG' });
    assert.throws(() => createVerifier({ ...base, jwks: { timeoutMs: -5 } }), { code: 'ERR_CONFIG' });
  });

  it('needs hydrate() (or cacheJwks) before verifySync, with ERR_NOT_HYDRATED', async () => {
    const fetchJwks = fakeFetch(() => jwksOf(access));
    const v = createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: CLIENT_ID, now, jwks: { fetch: fetchJwks } });
    const token = signToken(access, accessClaims());
    assert.throws(() => v.verifySync(token), { code: 'ERR_NOT_HYDRATED', status: 500 });
    await v.hydrate();
    assert.equal(v.verifySync(token).sub, 'aaaaaaaa-bbbb-cccc-dddd-example');
    const offline = createVerifier({ issuer: COGNITO_ISSUER, tokenUse: 'access', clientId: CLIENT_ID, now, jwks: { fetch: fetchJwks } });
    offline.cacheJwks(jwksOf(access));
    assert.equal(offline.verifySync(token).sub, 'aaaaaaaa-bbbb-cccc-dddd-example');
    assert.equal(fetchJwks.urls.length, 1);
  });
});

describe('createVerifier › one JWKS cache per issuer', () => {
  let server: JwksServer;
  before(async () => {
    server = await new JwksServer().start();
    server.doc = jwksOf(access, id);
  });
  after(() => server.stop());

  it('shares the cache (one fetch) between the access and ID verifiers of a pool', async () => {
    const issuer = server.issuer('us-east-1_Shared001');
    const a = createVerifier({ issuer, tokenUse: 'access', clientId: CLIENT_ID });
    const i = createVerifier({ issuer, tokenUse: 'id', clientId: CLIENT_ID });
    assert.equal(a.jwks, i.jwks);
    const nowS = Math.floor(Date.now() / 1000);
    const times = { iat: nowS, auth_time: nowS, exp: nowS + 3600, iss: issuer };
    await Promise.all([a.verify(signToken(access, accessClaims(times))), i.verify(signToken(id, idClaims(times)))]);
    assert.equal(server.requests, 1);
  });
});

describe('VerifyError', () => {
  it('carries a stable code, the claim, and the HTTP status a middleware uses', () => {
    const err = new VerifyError('ERR_EXPIRED', 'The token has expired', { claim: 'exp' });
    assert.equal(err.name, 'VerifyError');
    assert.equal(err.code, 'ERR_EXPIRED');
    assert.equal(err.claim, 'exp');
    assert.equal(err.status, 401);
    assert.ok(isVerifyError(err));
    assert.ok(!isVerifyError(new Error('x')));
    assert.equal(statusFor('ERR_SCOPE'), 403);
    assert.equal(statusFor('ERR_JWKS_FETCH'), 503);
  });

  it('keeps its list of codes (apps switch on them: removing or renaming one is a breaking change)', () => {
    assert.deepEqual(Object.keys(ErrorCodes).sort(), [
      'ERR_ALG',
      'ERR_BASE64',
      'ERR_CLAIM_INVALID',
      'ERR_CLAIM_MISSING',
      'ERR_CLIENT_ID',
      'ERR_CONFIG',
      'ERR_CRIT',
      'ERR_EXPIRED',
      'ERR_GROUP',
      'ERR_HEADER_KEY',
      'ERR_ISSUED_IN_FUTURE',
      'ERR_ISSUER',
      'ERR_JWKS_FETCH',
      'ERR_JWKS_INVALID',
      'ERR_KEY_MISMATCH',
      'ERR_KID_MISSING',
      'ERR_KID_UNKNOWN',
      'ERR_LIFETIME',
      'ERR_MALFORMED',
      'ERR_NOT_HYDRATED',
      'ERR_NOT_OBJECT',
      'ERR_NOT_YET_VALID',
      'ERR_PROTOTYPE_KEY',
      'ERR_SCOPE',
      'ERR_SIGNATURE',
      'ERR_TOKEN_MISSING',
      'ERR_TOKEN_TOO_LARGE',
      'ERR_TOKEN_USE',
    ]);
    for (const [k, v] of Object.entries(ErrorCodes)) assert.equal(k, v);
  });

  it('is what every failure is, with the time of the check from the injected clock', async () => {
    const v = createVerifier({
      issuer: COGNITO_ISSUER,
      tokenUse: 'access',
      clientId: CLIENT_ID,
      clockSkewSeconds: 0,
      now: () => (NOW_S + 3540) * 1000,
      jwks: { fetch: fakeFetch(() => jwksOf(access)) },
    });
    await assert.rejects(v.verify(signToken(access, accessClaims())), (err: unknown) => err instanceof VerifyError && err.code === 'ERR_EXPIRED');
  });
});
