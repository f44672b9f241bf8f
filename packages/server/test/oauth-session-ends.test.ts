import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminSetUserPasswordCommand, AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { hostedSignIn, openLoginForm } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The managed-login session (the `cognito` cookie) answers authorization
// requests without a password for an hour, unless something ends it: a
// global sign-out, a new password, or a newer sign-in in the same browser.
// Scopes: a grant without `openid` gets no ID token.

const CALLBACK = 'http://localhost:3999/callback';
const PASSWORD = 'Kx7#mQ2!vLp9-zR';

describe('managed-login sessions end with global sign-out, a new password and a newer sign-in', () => {
  let c: Running;
  let poolId: string;
  let authorize: Record<string, string>;
  let client: { clientId: string; secret: string };

  before(async () => {
    c = await startCognate();
    poolId = await createPool(c);
    const made = await createClient(c, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    });
    client = { clientId: made.clientId, secret: made.secret! };
    authorize = { response_type: 'code', client_id: client.clientId, redirect_uri: CALLBACK, scope: 'openid' };
    await createConfirmedUser(c, poolId, 'jade', { password: PASSWORD, attributes: attrs({ email: 'jade@example.com' }) });
    await createConfirmedUser(c, poolId, 'kurt', { password: PASSWORD });
  });

  after(async () => c.stop());

  /** Where /oauth2/authorize sends a browser holding these cookies: the callback (signed in) or /login. */
  const authorizeWith = async (cookies: string[], extra: Record<string, string> = {}) => {
    const res = await fetch(`${c.url}/oauth2/authorize?${new URLSearchParams({ ...authorize, ...extra })}`, {
      redirect: 'manual',
      headers: { cookie: cookies.join('; ') },
    });
    return new URL(res.headers.get('location')!, c.url);
  };

  it('sets the session cookie HttpOnly and SameSite=Lax, not Secure over plain HTTP to localhost, for an hour', async () => {
    const form = await openLoginForm(c.url, authorize);
    assert.ok(!(form instanceof URL));
    const posted = await fetch(`${c.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookies.join('; ') },
      body: new URLSearchParams({ ...form.fields, username: 'jade', password: PASSWORD }).toString(),
    });
    const session = posted.headers.getSetCookie().find((k) => k.startsWith('cognito='));
    assert.ok(session, 'a session cookie');
    assert.match(session, /; HttpOnly/);
    assert.match(session, /; SameSite=Lax/);
    assert.match(session, /; Max-Age=3600/);
    assert.doesNotMatch(session, /; Secure/);
  });

  it('answers from the session until AdminUserGlobalSignOut ends it', async () => {
    const { cookies } = await hostedSignIn(c.url, authorize, 'jade', PASSWORD);
    const answered = await authorizeWith(cookies);
    assert.equal(answered.origin + answered.pathname, CALLBACK);
    await c.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'jade' }));
    assert.equal((await authorizeWith(cookies)).pathname, '/login');
  });

  it('ends the session when the password is set anew', async () => {
    const { cookies } = await hostedSignIn(c.url, authorize, 'jade', PASSWORD);
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'jade', Password: PASSWORD, Permanent: true }));
    assert.equal((await authorizeWith(cookies)).pathname, '/login');
  });

  it("ends a browser's earlier session when it signs in again, as another user", async () => {
    const first = await hostedSignIn(c.url, authorize, 'jade', PASSWORD);
    const firstSession = first.cookies.filter((k) => k.startsWith('cognito='));
    // The same browser (its cookies) signs in as kurt.
    const login = await fetch(`${c.url}/login?${new URLSearchParams(authorize)}`, { headers: { cookie: first.cookies.join('; ') } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const csrfCookie = login.headers.getSetCookie().map((k) => k.split(';')[0]!);
    const again = await fetch(`${c.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...first.cookies, ...csrfCookie].join('; ') },
      body: new URLSearchParams({ ...authorize, _csrf: csrf, username: 'kurt', password: PASSWORD }).toString(),
    });
    assert.equal(again.status, 302);
    assert.equal((await authorizeWith(firstSession)).pathname, '/login', "jade's old cookie no longer signs anyone in");
  });

  it('gives no ID token to a grant without openid', async () => {
    const { location } = await hostedSignIn(c.url, { ...authorize, scope: 'aws.cognito.signin.user.admin' }, 'kurt', PASSWORD);
    const res = await fetch(`${c.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK }).toString(),
    });
    const tokens = (await res.json()) as Record<string, string>;
    assert.ok(tokens['access_token']);
    assert.equal(tokens['id_token'], undefined);
  });
});
