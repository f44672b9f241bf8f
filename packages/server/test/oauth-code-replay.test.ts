import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { AdminDisableUserCommand, AdminEnableUserCommand, GetUserCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { hostedSignIn } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The authorization code's guarantees (RFC 6749 section 4.1.2, RFC 7636):
// single use, bound to its client, redirect URI and PKCE verifier, and a
// replay revokes what the first exchange issued. The implicit grant, and
// the aws.cognito.signin.user.admin scope opening the user-pool API.

const CALLBACK = 'http://localhost:3999/callback';
const PASSWORD = 'Kx7#mQ2!vLp9-zR';

describe('OAuth authorization codes: single use, bound, revoked on replay', () => {
  let c: Running;
  let poolId: string;
  let app: { clientId: string; secret: string };
  let other: { clientId: string; secret: string };

  before(async () => {
    c = await startCognate();
    poolId = await createPool(c);
    const oauthClient = async (flows: ('code' | 'implicit')[]) => {
      const made = await createClient(c, poolId, {
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: flows,
        AllowedOAuthScopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      });
      return { clientId: made.clientId, secret: made.secret! };
    };
    app = await oauthClient(['code', 'implicit']);
    other = await oauthClient(['code']);
    await createConfirmedUser(c, poolId, 'dave', { password: PASSWORD, attributes: attrs({ email: 'dave@example.com' }) });
  });

  after(async () => c.stop());

  const basic = (client: { clientId: string; secret: string }) => `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`;
  const exchange = async (client: { clientId: string; secret: string }, params: Record<string, string>) => {
    const res = await fetch(`${c.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client) },
      body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...params }).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const codeFor = async (extra: Record<string, string> = {}) => {
    const { location } = await hostedSignIn(
      c.url,
      { response_type: 'code', client_id: app.clientId, redirect_uri: CALLBACK, scope: 'openid aws.cognito.signin.user.admin', ...extra },
      'dave',
      PASSWORD,
    );
    const code = location.searchParams.get('code');
    assert.ok(code, `a code in ${location.href}`);
    return code;
  };

  it('revokes the tokens of the first exchange when a code is presented again', async () => {
    const code = await codeFor();
    const first = await exchange(app, { code });
    assert.equal(first.status, 200);
    // The access token works at the user-pool API (it has aws.cognito.signin.user.admin).
    const me = await c.anon.send(new GetUserCommand({ AccessToken: first.body['access_token'] }));
    assert.equal(me.Username, 'dave');
    const replay = await exchange(app, { code });
    assert.deepEqual([replay.status, replay.body['error']], [400, 'invalid_grant']);
    await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: first.body['access_token'] })), {
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    const refresh = await fetch(`${c.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(app) },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.body['refresh_token']! }).toString(),
    });
    assert.equal(refresh.status, 400);
  });

  it('refuses a code at another client, with another redirect URI, or without its PKCE verifier, and then still honours it once', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await codeFor({ code_challenge: challenge, code_challenge_method: 'S256' });
    assert.equal((await exchange(other, { code, code_verifier: verifier })).body['error'], 'invalid_grant');
    assert.equal((await exchange(app, { code, code_verifier: verifier, redirect_uri: 'http://localhost:3999/other' })).body['error'], 'invalid_grant');
    assert.equal((await exchange(app, { code })).body['error'], 'invalid_grant');
    assert.equal((await exchange(app, { code, code_verifier: randomBytes(32).toString('base64url') })).body['error'], 'invalid_grant');
    const ok = await exchange(app, { code, code_verifier: verifier });
    assert.equal(ok.status, 200);
    assert.ok(ok.body['id_token']);
  });

  it('refuses a code whose user was disabled since', async () => {
    const code = await codeFor();
    await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    try {
      assert.equal((await exchange(app, { code })).body['error'], 'invalid_grant');
    } finally {
      await c.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    }
  });

  it('answers the implicit grant with tokens in the fragment and never a refresh token', async () => {
    const { location } = await hostedSignIn(
      c.url,
      { response_type: 'token', client_id: app.clientId, redirect_uri: CALLBACK, scope: 'openid email', state: 'st', nonce: 'n1' },
      'dave',
      PASSWORD,
    );
    assert.equal(location.search, '');
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.ok(fragment.get('access_token'));
    assert.ok(fragment.get('id_token'));
    assert.equal(fragment.get('refresh_token'), null);
    assert.equal(fragment.get('token_type'), 'Bearer');
    assert.equal(fragment.get('state'), 'st');
    const id = JSON.parse(Buffer.from(fragment.get('id_token')!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(id['nonce'], 'n1');
    // Nothing about the user changed: the pool still lists one user.
    assert.equal((await c.admin.send(new ListUsersCommand({ UserPoolId: poolId }))).Users?.length, 1);
  });
});
