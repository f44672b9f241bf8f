import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { rawCall } from './helpers/raw.ts';
import { startCognate, type Running } from './helpers/server.ts';

const TOKEN = 'metrics-bearer-token-0123456789';

/** The value of one series in Prometheus text format (0 when absent). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

// Prometheus /metrics (issue 6): behind a bearer token, off without one;
// counters for calls, sign-ins, lockouts and tokens that move with traffic;
// and never a secret in it.
describe('metrics', () => {
  let c: Running;
  let logs = '';
  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    c = await startCognate({ config: { metricsToken: TOKEN, logLevel: 'info' }, logStream: stream });
  });
  after(() => c.stop());

  const scrape = async (auth: string | null = `Bearer ${TOKEN}`): Promise<{ status: number; text: string; type: string | null }> => {
    const res = await fetch(`${c.url}/metrics`, auth === null ? {} : { headers: { authorization: auth } });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
  };

  it('refuses /metrics without the bearer token, or with a wrong one', async () => {
    const none = await scrape(null);
    assert.equal(none.status, 401);
    assert.doesNotMatch(none.text, /cognate_/);
    assert.equal((await scrape('Bearer metrics-bearer-token-0123456780')).status, 401);
    assert.equal((await scrape(`Basic ${TOKEN}`)).status, 401);
    const ok = await scrape();
    assert.equal(ok.status, 200);
    assert.match(ok.type ?? '', /^text\/plain/);
  });

  it('has no /metrics at all when no token is configured', async () => {
    const plain = await startCognate();
    try {
      const res = await fetch(`${plain.url}/metrics`);
      assert.equal(res.status, 404);
    } finally {
      await plain.stop();
    }
  });

  it('counts calls and latency by operation and outcome, sign-ins, lockouts and tokens issued, with no secret in the output', async () => {
    const password = 'Metr1cs-Pw-Secret!';
    const pool = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'metrics' }));
    const poolId = pool.UserPool!.Id!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'm', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const ClientId = client.UserPoolClient!.ClientId!;
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'm1', MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'm1', Password: password, Permanent: true }));

    const before = (await scrape()).text;
    const signIn = (pw: string) =>
      c.anon.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'm1', PASSWORD: pw } }));
    const out = await signIn(password);
    const tokens = out.AuthenticationResult!;
    await c.anon.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }));
    // Wrong passwords until the account locks (five failures, then "Password attempts exceeded").
    const messages: string[] = [];
    for (let i = 0; i < 7; i++) await signIn(`${password}-wrong`).catch((err: Error) => messages.push(err.message));
    assert.equal(messages.length, 7);
    assert.ok(messages.includes('Password attempts exceeded'), 'the account locked');
    const lockedAnswers = messages.filter((m) => m === 'Password attempts exceeded').length;
    await rawCall(c.url, 'NoSuchOperation', '{}');
    await c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));

    const after = (await scrape()).text;
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    assert.equal(delta('cognate_sign_ins_total', { outcome: 'success' }), 1, 'one sign-in (the refresh is not one)');
    assert.equal(delta('cognate_sign_ins_total', { outcome: 'failure' }), 7);
    assert.equal(delta('cognate_lockouts_total'), lockedAnswers);
    assert.equal(delta('cognate_tokens_issued_total', { token_use: 'access' }), 2, 'sign-in and refresh');
    assert.equal(delta('cognate_tokens_issued_total', { token_use: 'id' }), 2);
    assert.equal(delta('cognate_tokens_issued_total', { token_use: 'refresh' }), 1);
    assert.equal(delta('cognate_requests_total', { operation: 'InitiateAuth', outcome: 'success' }), 2);
    assert.equal(delta('cognate_requests_total', { operation: 'InitiateAuth', outcome: 'failure', error_code: 'NotAuthorizedException' }), 7);
    assert.equal(delta('cognate_requests_total', { service: 'unknown', operation: 'unknown', error_code: 'UnknownOperationException' }), 1);
    assert.equal(delta('cognate_request_duration_seconds_count', { operation: 'ListUserPools', outcome: 'success' }), 1);
    assert.ok(!after.includes('NoSuchOperation'), 'a caller-chosen operation name never becomes a label');

    for (const secret of [password, tokens.AccessToken!, tokens.IdToken!, tokens.RefreshToken!, c.credentials.secretAccessKey, 'eyJ', 'm1', ClientId]) {
      assert.ok(!after.includes(secret), `metrics must not contain ${secret.slice(0, 3)}…`);
      assert.ok(!logs.includes(secret) || secret === 'm1' || secret === ClientId, `logs must not contain ${secret.slice(0, 3)}…`);
    }
  });
});
