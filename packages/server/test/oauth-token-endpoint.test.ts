import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceServerCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as oidc from 'openid-client';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The token, revocation and authorize endpoints' answers to machines: the
// client-credentials grant through openid-client with both client
// authentication methods, and OAuth's error responses for bad input.

const CALLBACK = 'http://localhost:3999/callback';

describe('OAuth token endpoint: client credentials and errors', () => {
  let c: Running;
  let poolId: string;
  let m2m: { clientId: string; secret: string };
  let web: { clientId: string; secret: string };

  before(async () => {
    c = await startCognate();
    poolId = await createPool(c);
    await c.admin.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'orders',
        Name: 'Orders API',
        Scopes: [
          { ScopeName: 'read', ScopeDescription: 'Read orders' },
          { ScopeName: 'write', ScopeDescription: 'Write orders' },
        ],
      }),
    );
    const machine = await createClient(c, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['orders/read', 'orders/write'],
    });
    m2m = { clientId: machine.clientId, secret: machine.secret! };
    const webClient = await createClient(c, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    });
    web = { clientId: webClient.clientId, secret: webClient.secret! };
  });

  after(async () => c.stop());

  const discover = (clientId: string, auth: oidc.ClientAuth) =>
    oidc.discovery(new URL(`${c.url}/${poolId}`), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });
  const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${c.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });
  const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

  it('issues an access token only, with the client as subject and all its custom scopes, to client_secret_basic', async () => {
    const config = await discover(m2m.clientId, oidc.ClientSecretBasic(m2m.secret));
    const tokens = await oidc.clientCredentialsGrant(config);
    assert.equal(tokens.id_token, undefined);
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.expires_in, 3600);
    const claims = payload(tokens.access_token);
    assert.equal(claims['sub'], m2m.clientId);
    assert.equal(claims['client_id'], m2m.clientId);
    assert.equal(claims['token_use'], 'access');
    assert.equal(claims['scope'], 'orders/read orders/write');
    assert.equal(claims['iss'], `${c.url}/${poolId}`);
  });

  it('issues the scopes asked for to client_secret_post, and refuses a scope the client may not have with invalid_scope', async () => {
    const config = await discover(m2m.clientId, oidc.ClientSecretPost(m2m.secret));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'orders/read' });
    assert.equal(payload(tokens.access_token)['scope'], 'orders/read');
    await assert.rejects(oidc.clientCredentialsGrant(config, { scope: 'orders/delete' }), (err: oidc.ResponseBodyError) => err.error === 'invalid_scope');
  });

  it('refuses a wrong secret with invalid_client, and a client without the grant with unauthorized_client', async () => {
    const wrong = await discover(m2m.clientId, oidc.ClientSecretBasic('not-the-secret'));
    await assert.rejects(oidc.clientCredentialsGrant(wrong), (err: oidc.ResponseBodyError) => err.error === 'invalid_client');
    const webConfig = await discover(web.clientId, oidc.ClientSecretBasic(web.secret));
    await assert.rejects(oidc.clientCredentialsGrant(webConfig), (err: oidc.ResponseBodyError) => err.error === 'unauthorized_client');
  });

  it("answers bad requests with OAuth's errors and status 400, never cached", async () => {
    const cases: [string, string, Record<string, string>, string][] = [
      ['no grant type', 'scope=orders/read', basic(m2m.clientId, m2m.secret), 'invalid_request'],
      ['an unknown grant type', 'grant_type=password', basic(m2m.clientId, m2m.secret), 'unsupported_grant_type'],
      ['a parameter twice', 'grant_type=client_credentials&grant_type=client_credentials', basic(m2m.clientId, m2m.secret), 'invalid_request'],
      ['an unknown client', 'grant_type=client_credentials&client_id=nope&client_secret=x', {}, 'invalid_client'],
      ['two authentication methods', `grant_type=client_credentials&client_secret=${m2m.secret}`, basic(m2m.clientId, m2m.secret), 'invalid_request'],
      [
        'an unknown code',
        `grant_type=authorization_code&code=abc&redirect_uri=${encodeURIComponent(CALLBACK)}`,
        basic(web.clientId, web.secret),
        'invalid_grant',
      ],
      ['an unknown refresh token', 'grant_type=refresh_token&refresh_token=abc', basic(web.clientId, web.secret), 'invalid_grant'],
      ['an oversize parameter', `grant_type=client_credentials&scope=${'a'.repeat(5000)}`, basic(m2m.clientId, m2m.secret), 'invalid_request'],
    ];
    for (const [what, body, headers, error] of cases) {
      const res = await post('/oauth2/token', body, headers);
      assert.equal(res.status, 400, what);
      assert.equal(res.headers.get('cache-control'), 'no-store', what);
      assert.equal(((await res.json()) as { error: string }).error, error, what);
    }
    const json = await post('/oauth2/token', JSON.stringify({ grant_type: 'client_credentials' }), {
      'content-type': 'application/json',
      ...basic(m2m.clientId, m2m.secret),
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as { error: string }).error, 'invalid_request');
    // The server kept serving.
    const ok = await post('/oauth2/token', 'grant_type=client_credentials', basic(m2m.clientId, m2m.secret));
    assert.equal(ok.status, 200);
  });

  it('revokes: an access token is unsupported_token_type, an unknown token succeeds, a wrong client is 401 invalid_client', async () => {
    const token = ((await (await post('/oauth2/token', 'grant_type=client_credentials', basic(m2m.clientId, m2m.secret))).json()) as { access_token: string })
      .access_token;
    const jwt = await post('/oauth2/revoke', `token=${token}`, basic(m2m.clientId, m2m.secret));
    assert.equal(jwt.status, 400);
    assert.equal(((await jwt.json()) as { error: string }).error, 'unsupported_token_type');
    const unknown = await post('/oauth2/revoke', 'token=not-a-token-we-issued', basic(m2m.clientId, m2m.secret));
    assert.equal(unknown.status, 200);
    const wrong = await post('/oauth2/revoke', 'token=x', basic(m2m.clientId, 'wrong'));
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client');
    const malformed = await post('/oauth2/revoke', 'token=x', { authorization: `Basic ${Buffer.from('no-colon-here').toString('base64')}` });
    assert.equal(malformed.status, 401, 'malformed Basic credentials are 401 at the revocation endpoint too');
  });

  it('redirects authorization errors to the registered URI with the state: PKCE plain, a flow not allowed, no usable scope', async () => {
    const authorize = async (params: Record<string, string>) => {
      const res = await fetch(`${c.url}/oauth2/authorize?${new URLSearchParams({ client_id: web.clientId, redirect_uri: CALLBACK, state: 's1', ...params })}`, {
        redirect: 'manual',
      });
      assert.equal(res.status, 302);
      return new URL(res.headers.get('location')!, c.url);
    };
    const plain = await authorize({ response_type: 'code', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    assert.equal(plain.origin + plain.pathname, CALLBACK);
    assert.equal(plain.searchParams.get('error'), 'invalid_request');
    assert.equal(plain.searchParams.get('state'), 's1');
    const implicit = await authorize({ response_type: 'token' });
    assert.equal(new URLSearchParams(implicit.hash.slice(1)).get('error'), 'unauthorized_client');
    const scope = await authorize({ response_type: 'code', scope: 'phone' });
    assert.equal(scope.searchParams.get('error'), 'invalid_scope');
    const none = await authorize({ scope: 'openid' });
    assert.equal(none.searchParams.get('error'), 'invalid_request');
    const federatedOnly = await createClient(c, poolId, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: [],
    });
    const noCognito = await fetch(
      `${c.url}/oauth2/authorize?${new URLSearchParams({ client_id: federatedOnly.clientId, redirect_uri: CALLBACK, response_type: 'code', state: 's1' })}`,
      { redirect: 'manual' },
    );
    assert.equal(
      new URL(noCognito.headers.get('location')!).searchParams.get('error'),
      'unauthorized_client',
      "no COGNITO provider: no sign-in with the pool's users",
    );
    const login = await authorize({ response_type: 'code', scope: 'openid' });
    assert.equal(login.pathname, '/login', 'no session: the sign-in page');
  });

  it('lists the endpoints in the discovery document', async () => {
    const doc = (await (await fetch(`${c.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(doc['authorization_endpoint'], `${c.url}/oauth2/authorize`);
    assert.equal(doc['token_endpoint'], `${c.url}/oauth2/token`);
    assert.equal(doc['userinfo_endpoint'], `${c.url}/oauth2/userInfo`);
    assert.equal(doc['revocation_endpoint'], `${c.url}/oauth2/revoke`);
    assert.deepEqual(doc['code_challenge_methods_supported'], ['S256']);
  });
});
