import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { rawCall, signedCall } from './helpers/raw.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Operator operations need a SigV4 signature from a known key with a fresh
// date; each failure gets the error AWS gives for it.
describe('operator authentication (SigV4)', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  it('accepts a correctly signed call', async () => {
    const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'ok' }, c.credentials);
    assert.equal(res.status, 200);
    assert.match(String((res.body['UserPool'] as { Id: string }).Id), /^us-east-1_[0-9A-Za-z]{9}$/);
  });

  it('refuses an unsigned call with MissingAuthenticationTokenException', async () => {
    const res = await rawCall(c.url, 'CreateUserPool', JSON.stringify({ PoolName: 'x' }));
    assert.equal(res.body['__type'], 'MissingAuthenticationTokenException');
    assert.equal(res.body['message'], 'Missing Authentication Token');
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const res = await signedCall(
      c.url,
      'CreateUserPool',
      { PoolName: 'x' },
      { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: c.credentials.secretAccessKey },
    );
    assert.equal(res.body['__type'], 'UnrecognizedClientException');
    assert.equal(res.body['message'], 'The security token included in the request is invalid.');
  });

  it('refuses a signature made with the wrong secret with InvalidSignatureException', async () => {
    const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, { accessKeyId: c.credentials.accessKeyId, secretAccessKey: 'wrong'.repeat(8) });
    assert.equal(res.body['__type'], 'InvalidSignatureException');
    assert.match(String(res.body['message']), /^The request signature we calculated does not match/);
  });

  it('refuses a body changed after signing', async () => {
    const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, { tamper: (_h, body) => body.replace('"x"', '"y"') });
    assert.equal(res.body['__type'], 'InvalidSignatureException');
  });

  it('refuses a different operation than the one signed', async () => {
    const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, {
      tamper: (h, body) => {
        h['x-amz-target'] = 'AWSCognitoIdentityProviderService.AdminInitiateAuth';
        return body;
      },
    });
    assert.equal(res.body['__type'], 'InvalidSignatureException');
  });

  it('refuses a signature older than 15 minutes as expired', async () => {
    const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, { date: new Date(Date.now() - 16 * 60_000) });
    assert.equal(res.body['__type'], 'InvalidSignatureException');
    assert.match(String(res.body['message']), /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('refuses a signature dated more than 15 minutes ahead', async () => {
    const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, { date: new Date(Date.now() + 16 * 60_000) });
    assert.equal(res.body['__type'], 'InvalidSignatureException');
    assert.match(String(res.body['message']), /^Signature not yet current/);
  });

  it('refuses a credential scoped to another service or to something that is no region', async () => {
    const svc = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, { service: 'dynamodb' });
    assert.equal(svc.body['__type'], 'InvalidSignatureException');
    // Every real region is served on this endpoint (test/regions.test.ts); a malformed one is refused as AWS refuses it.
    const region = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, { region: 'nowhere' });
    assert.equal(region.body['__type'], 'InvalidSignatureException');
    assert.equal(region.body['message'], "Credential should be scoped to a valid region, not 'nowhere'.");
  });

  it('refuses a signature that does not cover the operation (X-Amz-Target)', async () => {
    const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, { signTarget: false });
    assert.equal(res.body['__type'], 'InvalidSignatureException');
  });

  it('refuses malformed SignedHeaders with InvalidSignatureException, not a server error', async () => {
    for (const names of [
      'host;constructor;x-amz-date;x-amz-target',
      'host;toString;x-amz-date;x-amz-target',
      'x-amz-target;host;x-amz-date',
      'host;Host;x-amz-date;x-amz-target',
    ]) {
      const res = await signedCall(c.url, 'CreateUserPool', { PoolName: 'x' }, c.credentials, {
        tamper: (h, body) => {
          h['authorization'] = h['authorization']!.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${names}`);
          return body;
        },
      });
      assert.equal(res.status, 400, names);
      assert.equal(res.body['__type'], 'InvalidSignatureException', names);
    }
  });

  it('refuses a malformed Authorization header with IncompleteSignatureException', async () => {
    const res = await rawCall(c.url, 'CreateUserPool', JSON.stringify({ PoolName: 'x' }), { authorization: 'AWS4-HMAC-SHA256 Credential=abc' });
    assert.equal(res.body['__type'], 'IncompleteSignatureException');
  });

  it('lets the SDK with the printed credentials through, and refuses it without them', async () => {
    const bad = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: c.url,
      credentials: { accessKeyId: c.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) },
      maxAttempts: 1,
    });
    await assert.rejects(bad.send(new CreateUserPoolCommand({ PoolName: 'x' })), { name: 'InvalidSignatureException' });
    bad.destroy();
    const ok = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'sdk' }));
    assert.ok(ok.UserPool?.Id);
  });
});
