import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { configFor } from '../src/config/load.ts';
import { OAuthError } from '../src/errors/oauth-error.ts';
import { describedRoute } from '../src/http/routes.ts';
import { parseRateLimits } from '../src/services/quota-categories.ts';
import { createPoolAndClient } from './helpers/pools.ts';
import { cognateCall } from './helpers/cognate.ts';

// Routes beside the AWS-JSON front door (the OAuth endpoints to come) get the
// front door's hooks by describing themselves: a toy token endpoint, added
// the way an OAuth route will be, is audited and counted under its own
// service and operation with its secrets left out, meets the pool's and app
// client's IP rules and the pool's rate limit, and answers every failure
// (its own, the hooks' refusals, the unexpected) in OAuth's
// {"error", "error_description"} shape.

const SECRET_CODE = 'secret-code-3f9a1c';
const METRICS_TOKEN = 'metrics-token-for-the-test';

describe('described routes: OAuth-shaped errors, audit, metrics, IP rules and rate limits', () => {
  let built: BuiltApp;
  let url: string;
  let dataDir: string;
  let admin: CognitoIdentityProviderClient;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cognate-routes-'));
    const config = configFor({
      dataDir,
      port: 0,
      logLevel: 'silent',
      rateLimits: parseRateLimits('UserAuthentication=3'),
      rateLimitWindowSeconds: 600,
      metricsToken: METRICS_TOKEN,
    });
    built = await buildApp(config);
    const form = (body: unknown) => new URLSearchParams(Buffer.isBuffer(body) ? body.toString('utf8') : '');
    built.app.post(
      '/toy/token',
      describedRoute({
        service: 'toy-oauth',
        operation: 'Token',
        quotaCategory: 'UserAuthentication',
        errors: 'oauth',
        names: (req) => ({ poolId: null, clientId: form(req.body).get('client_id') }),
        redact: (req) => ({ grant_type: form(req.body).get('grant_type'), client_id: form(req.body).get('client_id') }),
      }),
      async (req) => {
        const code = form(req.body).get('code');
        if (code === 'boom') throw new Error('kaboom: internal detail');
        if (code !== 'good') throw new OAuthError('invalid_grant', 'The code is not valid.');
        return { access_token: 'not-a-real-token', token_type: 'Bearer' };
      },
    );
    const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
    url = address;
    built.deps.tokens.setPublicUrl(url);
    admin = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: built.createdCredentials!, maxAttempts: 1 });
  });
  after(async () => {
    admin.destroy();
    await built.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const token = (clientId: string, code: string) =>
    fetch(`${url}/toy/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code }).toString(),
    });

  it("answers its own errors, the unexpected and the hooks' refusals as OAuth errors, never cached, with no internals", async () => {
    const { clientId } = await createPoolAndClient({ admin });
    const ok = await token(clientId, 'good');
    assert.equal(ok.status, 200);

    const bad = await token(clientId, SECRET_CODE);
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: 'invalid_grant', error_description: 'The code is not valid.' });
    assert.equal(bad.headers.get('cache-control'), 'no-store');

    const boom = await token(clientId, 'boom');
    assert.equal(boom.status, 500);
    const text = await boom.text();
    assert.deepEqual(JSON.parse(text), { error: 'server_error' });
    assert.doesNotMatch(text, /kaboom/);

    // The fourth call in the window is over the pool's UserAuthentication limit of three.
    const limited = await token(clientId, 'good');
    assert.equal(limited.status, 429);
    assert.deepEqual(await limited.json(), { error: 'invalid_request', error_description: 'Rate exceeded' });
  });

  it("meets the IP rules of the app client it names, found through the client's pool", async () => {
    const { poolId, clientId } = await createPoolAndClient({ admin });
    const credentials = built.createdCredentials!;
    await cognateCall(url, 'SetIpRules', { UserPoolId: poolId, DenyCidrs: ['127.0.0.0/8'] }, credentials);
    const blocked = await token(clientId, 'good');
    assert.equal(blocked.status, 403);
    assert.deepEqual(await blocked.json(), { error: 'access_denied', error_description: 'Request not allowed due to WAF block.' });
    await cognateCall(url, 'SetIpRules', { UserPoolId: poolId }, credentials);
    assert.equal((await token(clientId, 'good')).status, 200);
  });

  it('is audited and counted under its own service and operation, its code and secrets left out', async () => {
    await built.flushAudit();
    const records = await built.deps.store.audit.search({ operation: 'Token', limit: 100 });
    assert.ok(records.length >= 5, `${records.length} records`);
    assert.ok(records.every((r) => r.service === 'toy-oauth'));
    assert.ok(records.some((r) => r.outcome === 'failure' && r.error_code === 'HTTP400'));
    assert.ok(records.every((r) => r.client_id !== null && r.params !== null && JSON.parse(r.params).grant_type === 'authorization_code'));
    assert.ok(!JSON.stringify(records).includes(SECRET_CODE));
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    assert.match(metrics, /cognate_requests_total\{service="toy-oauth",operation="Token",outcome="success",error_code=""\} \d+/);
    assert.match(metrics, /cognate_requests_total\{service="toy-oauth",operation="Token",outcome="failure",error_code="HTTP429"\} 1/);
  });
});
