import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { createVerifier, type Verifier } from '../src/index.ts';
import * as ex from '../src/express.ts';
import * as fy from '../src/fastify.ts';
import { JwksServer } from './helpers/jwks-server.ts';
import { accessClaims, CLIENT_ID, jwksOf, now, NOW_S, rsaKey, signToken, type TestKey } from './helpers/tokens.ts';

// The same routes in Express and in Fastify, driven over HTTP: the answers
// must be identical.

interface Answer {
  status: number;
  challenge: string | null;
  body: Record<string, unknown>;
}

let jwks: JwksServer;
let key: TestKey;
let issuer: string;
let verifier: Verifier<unknown>;
let broken: Verifier<unknown>; // its JWKS cannot be fetched

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let good: string;
let expired: string;
let forged: string;

before(async () => {
  jwks = await new JwksServer().start();
  key = rsaKey('mw-key');
  jwks.doc = jwksOf(key);
  issuer = jwks.issuer('us-east-1_Middleware');
  verifier = createVerifier({ issuer, tokenUse: 'access', clientId: CLIENT_ID, now, clockSkewSeconds: 0 });
  broken = createVerifier({ issuer: 'http://127.0.0.1:9/us-east-1_Nowhere', tokenUse: 'access', clientId: CLIENT_ID, now, jwks: { timeoutMs: 500 } });
  good = signToken(key, accessClaims({ iss: issuer, 'cognito:groups': ['admin', 'editors'], scope: 'openid aws.cognito.signin.user.admin' }));
  expired = signToken(key, accessClaims({ iss: issuer, exp: NOW_S }));
  forged = signToken(rsaKey('mw-key'), accessClaims({ iss: issuer }));
});
after(() => jwks.stop());

const routes = [
  'GET /private',
  'GET /feed',
  'GET /admin',
  'GET /ops',
  'GET /scoped',
  'GET /unscoped',
  'GET /unguarded',
  'GET /broken',
  'GET /broken-feed',
] as const;

function expressApp(): express.Express {
  const app = express();
  const who = (req: express.Request, res: express.Response) => res.json({ user: req.auth?.username ?? null, authError: req.authError?.code ?? null });
  app.get('/private', ex.requireAuth(verifier, { realm: 'cruddur' }), who);
  app.get('/feed', ex.optionalAuth(verifier), who);
  app.get('/admin', ex.requireAuth(verifier), ex.requireGroup('admin', 'root'), who);
  app.get('/ops', ex.requireAuth(verifier), ex.requireGroup('ops'), who);
  app.get('/scoped', ex.requireAuth(verifier), ex.requireScope('aws.cognito.signin.user.admin'), who);
  app.get('/unscoped', ex.requireAuth(verifier), ex.requireScope('payments:write'), who);
  app.get('/unguarded', ex.requireGroup('admin'), who);
  app.get('/broken', ex.requireAuth(broken), who);
  app.get('/broken-feed', ex.optionalAuth(broken), who);
  return app;
}

async function fastifyApp(): Promise<FastifyInstance> {
  const app = Fastify();
  const who = async (req: import('fastify').FastifyRequest) => ({ user: req.auth?.username ?? null, authError: req.authError?.code ?? null });
  app.get('/private', { preHandler: fy.requireAuth(verifier, { realm: 'cruddur' }) }, who);
  app.get('/feed', { preHandler: fy.optionalAuth(verifier) }, who);
  app.get('/admin', { preHandler: [fy.requireAuth(verifier), fy.requireGroup('admin', 'root')] }, who);
  app.get('/ops', { preHandler: [fy.requireAuth(verifier), fy.requireGroup('ops')] }, who);
  app.get('/scoped', { preHandler: [fy.requireAuth(verifier), fy.requireScope('aws.cognito.signin.user.admin')] }, who);
  app.get('/unscoped', { preHandler: [fy.requireAuth(verifier), fy.requireScope('payments:write')] }, who);
  app.get('/unguarded', { preHandler: fy.requireGroup('admin') }, who);
  app.get('/broken', { onRequest: fy.requireAuth(broken) }, who);
  app.get<{ Params: { id: string } }>('/typed/:id', { preHandler: fy.requireAuth(verifier) }, async (req) => ({ id: req.params.id, user: req.auth?.sub }));
  app.register(async (scope) => {
    scope.addHook('preHandler', fy.optionalAuth(broken));
    scope.get('/broken-feed', who);
  });
  return app;
}

for (const framework of ['express', 'fastify'] as const) {
  describe(`${framework} middleware`, () => {
    let base: string;
    let close: () => Promise<void>;
    before(async () => {
      if (framework === 'express') {
        const server: Server = expressApp().listen(0, '127.0.0.1');
        await new Promise((r) => server.once('listening', r));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        close = () => new Promise((r) => server.close(() => r()));
      } else {
        const app = await fastifyApp();
        base = await app.listen({ port: 0, host: '127.0.0.1' });
        close = () => app.close();
      }
    });
    after(() => close());

    const call = async (route: (typeof routes)[number], headers: Record<string, string> = {}): Promise<Answer> => {
      const res = await fetch(base + route.slice(4), { headers });
      return { status: res.status, challenge: res.headers.get('www-authenticate'), body: (await res.json()) as Record<string, unknown> };
    };

    it('requireAuth passes a valid token and puts its claims on the request', async () => {
      assert.deepEqual(await call('GET /private', bearer(good)), { status: 200, challenge: null, body: { user: 'my-test-user', authError: null } });
    });

    it('requireAuth answers 401 with a bare Bearer challenge when there is no token (RFC 6750 §3.1)', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }, { authorization: good }]) {
        const a = await call('GET /private', headers);
        assert.equal(a.status, 401);
        assert.equal(a.challenge, 'Bearer realm="cruddur"');
        assert.equal(a.body['code'], 'ERR_TOKEN_MISSING');
      }
    });

    it('requireAuth answers 401 with a WWW-Authenticate challenge naming the error', async () => {
      const cases = [
        [expired, 'ERR_EXPIRED'],
        [forged, 'ERR_SIGNATURE'],
        ['a.b', 'ERR_MALFORMED'],
        [good.replace(/\.[^.]*$/, '.'), 'ERR_SIGNATURE'],
      ] as const;
      for (const [token, code] of cases) {
        const a = await call('GET /private', bearer(token));
        assert.equal(a.status, 401, code);
        assert.equal(a.challenge, `Bearer realm="cruddur", error="invalid_token", error_description="${code}"`);
        assert.equal(a.body['code'], code);
        assert.equal(a.body['error'], 'invalid_token');
      }
      assert.equal((await call('GET /scoped', bearer(expired))).challenge, 'Bearer error="invalid_token", error_description="ERR_EXPIRED"');
    });

    it('accepts the scheme in any case and extra spaces', async () => {
      assert.equal((await call('GET /private', { authorization: `bearer  ${good}` })).status, 200);
      assert.equal((await call('GET /private', { authorization: `BEARER ${good}` })).status, 200);
    });

    it('optionalAuth is anonymous without a token or with a bad one, and has the claims with a good one', async () => {
      assert.deepEqual((await call('GET /feed')).body, { user: null, authError: null });
      assert.deepEqual((await call('GET /feed', bearer(expired))).body, { user: null, authError: 'ERR_EXPIRED' });
      assert.deepEqual((await call('GET /feed', bearer('garbage'))).body, { user: null, authError: 'ERR_MALFORMED' });
      const a = await call('GET /feed', bearer(good));
      assert.deepEqual(a, { status: 200, challenge: null, body: { user: 'my-test-user', authError: null } });
    });

    it('group guards pass a member of any listed group and answer others 403', async () => {
      assert.equal((await call('GET /admin', bearer(good))).status, 200);
      const a = await call('GET /ops', bearer(good));
      assert.equal(a.status, 403);
      assert.equal(a.challenge, 'Bearer error="insufficient_scope", error_description="ERR_GROUP"');
      assert.equal(a.body['code'], 'ERR_GROUP');
    });

    it('scope guards pass a token with any listed scope and answer others 403', async () => {
      assert.equal((await call('GET /scoped', bearer(good))).status, 200);
      const a = await call('GET /unscoped', bearer(good));
      assert.equal(a.status, 403);
      assert.equal(a.challenge, 'Bearer error="insufficient_scope", error_description="ERR_SCOPE"');
    });

    it('a guard without authentication before it answers 401', async () => {
      const a = await call('GET /unguarded', bearer(good));
      assert.equal(a.status, 401);
      assert.equal(a.body['code'], 'ERR_TOKEN_MISSING');
    });

    it('answers 503 when the keys cannot be fetched, and optionalAuth stays anonymous', async () => {
      const a = await call('GET /broken', bearer(good));
      assert.equal(a.status, 503);
      assert.equal(a.challenge, null);
      assert.equal(a.body['code'], 'ERR_JWKS_FETCH');
      assert.deepEqual((await call('GET /broken-feed', bearer(good))).body, { user: null, authError: 'ERR_JWKS_FETCH' });
    });
  });
}

describe('guards', () => {
  it('need at least one name', () => {
    assert.throws(() => ex.requireScope(), { code: 'ERR_CONFIG' });
    assert.throws(() => fy.requireGroup(''), { code: 'ERR_CONFIG' });
  });
});
