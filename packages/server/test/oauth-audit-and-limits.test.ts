import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parseRateLimits } from '../src/services/quota-categories.ts';
import { cognateCall } from './helpers/cognate.ts';
import { hostedSignIn } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The OAuth endpoints and pages meet the same rules as the API: every call
// in the audit trail and access log with no secret in either, the lockout
// after wrong passwords on the sign-in page, the pool's IP rules and its
// rate limits.

const CALLBACK = 'http://localhost:3999/callback';
const PASSWORD = 'Kx7#mQ2!vLp9-zR';

describe('OAuth endpoints and pages: audit trail, logs, lockout and rate limits', () => {
  let c: Running;
  let logs = '';
  let client: { clientId: string; secret: string };
  let poolId: string;

  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    c = await startCognate({
      config: { logLevel: 'trace', rateLimits: parseRateLimits('UserAuthentication=40'), rateLimitWindowSeconds: 600 },
      logStream: stream,
    });
    poolId = await createPool(c);
    const made = await createClient(c, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    });
    client = { clientId: made.clientId, secret: made.secret! };
    await createConfirmedUser(c, poolId, 'erin', { password: PASSWORD, attributes: attrs({ email: 'erin@example.com' }) });
    await createConfirmedUser(c, poolId, 'frank', { password: PASSWORD });
  });

  after(async () => c.stop());

  const token = (body: Record<string, string>) =>
    fetch(`${c.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams(body).toString(),
    });
  const authorize = { response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email' };

  it('records the pages and endpoints in the audit trail, and neither the trail nor the log holds a password, code, token or secret', async () => {
    const { location } = await hostedSignIn(c.url, { ...authorize, client_id: client.clientId }, 'erin', PASSWORD);
    const code = location.searchParams.get('code')!;
    const tokens = (await (await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK })).json()) as Record<string, string>;
    await fetch(`${c.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens['access_token']}` } });
    await token({ grant_type: 'refresh_token', refresh_token: tokens['refresh_token']! });
    await c.flushAudit();
    const rows = await c.deps.store.db.selectFrom('audit_records').selectAll().orderBy('seq').execute();
    const seen = rows.map((r) => `${r.service}:${r.operation}:${r.outcome}`);
    for (const expected of [
      'oauth2:Authorize:success',
      'hosted-ui:LoginPage:success',
      'hosted-ui:Login:success',
      'oauth2:Token:success',
      'oauth2:UserInfo:success',
    ]) {
      assert.ok(seen.includes(expected), `${expected} in ${seen.join(', ')}`);
    }
    const login = rows.find((r) => r.operation === 'Login');
    assert.equal(login?.client_id, client.clientId);
    const table = JSON.stringify(rows);
    for (const secret of [PASSWORD, code, tokens['refresh_token']!, client.secret]) {
      assert.ok(!table.includes(secret), `audit trail must not contain ${secret.slice(0, 4)}…`);
      assert.ok(!logs.includes(secret), `log must not contain ${secret.slice(0, 4)}…`);
    }
    assert.ok(!table.includes('eyJ') && !logs.includes('eyJ'), 'no JWT anywhere');
  });

  it('locks the account after five wrong passwords on the sign-in page, as InitiateAuth does', async () => {
    for (let i = 0; i < 5; i++) {
      const { location } = await hostedSignIn(c.url, { ...authorize, client_id: client.clientId }, 'frank', 'wrong password').catch(() => ({ location: null }));
      assert.equal(location, null, 'a wrong password is answered with the form again, not a redirect');
    }
    await assert.rejects(
      hostedSignIn(c.url, { ...authorize, client_id: client.clientId }, 'frank', PASSWORD),
      /did not redirect \(status 400\): Too many attempts/,
    );
  });

  it("refuses the token endpoint and the sign-in page from an address the pool's IP rules deny", async () => {
    await cognateCall(c.url, 'SetIpRules', { UserPoolId: poolId, DenyCidrs: ['127.0.0.0/8'] }, c.credentials);
    try {
      const denied = await token({ grant_type: 'client_credentials' });
      assert.equal(denied.status, 403);
      assert.equal(((await denied.json()) as { error: string }).error, 'access_denied');
      const page = await fetch(`${c.url}/login?${new URLSearchParams({ ...authorize, client_id: client.clientId })}`);
      assert.equal(page.status, 403);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    } finally {
      await cognateCall(c.url, 'SetIpRules', { UserPoolId: poolId }, c.credentials);
    }
    assert.equal((await fetch(`${c.url}/login?${new URLSearchParams({ ...authorize, client_id: client.clientId })}`)).status, 200);
  });

  it("answers past the pool's rate limit with 429 in OAuth's shape", async () => {
    let last: Response | null = null;
    for (let i = 0; i < 45 && last?.status !== 429; i++) last = await token({ grant_type: 'client_credentials' });
    assert.equal(last?.status, 429);
    assert.equal(((await last!.json()) as { error: string }).error, 'invalid_request');
  });
});
