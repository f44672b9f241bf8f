import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, GetCSVHeaderCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { model } from '../src/cognito-api/model/validate.ts';
import { loadOperations } from '../src/cognito-api/protocol.ts';
import sdkOnly from '../src/cognito-api/model/sdk-only-operations.json' with { type: 'json' };
import { rawCall } from './helpers/raw.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The JSON 1.1 wire protocol and bad input: every malformed request gets a
// Cognito-shaped 4xx, never a 500, and the server keeps serving.
describe('Cognito JSON 1.1 protocol', () => {
  let c: Running;
  let clientId: string;
  before(async () => {
    c = await startCognate({ config: { bodyLimitBytes: 4096 } });
    const pool = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'proto' }));
    const client = await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool!.Id!, ClientName: 'web' }));
    clientId = client.UserPoolClient!.ClientId!;
  });
  after(() => c.stop());

  const assertError = (res: { status: number; headers: Headers; body: Record<string, unknown> }, type: string, status = 400) => {
    assert.equal(res.status, status);
    assert.equal(res.body['__type'], type);
    assert.equal(res.headers.get('x-amzn-errortype'), type);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.ok(res.headers.get('x-amzn-requestid'));
  };

  it('answers an unknown operation with UnknownOperationException', async () => {
    assertError(await rawCall(c.url, 'NoSuchOperation', '{}'), 'UnknownOperationException');
  });

  it('answers an operation of the Cognito API that Cognate lacks with UnknownOperationException saying so, through the SDK', async () => {
    // GetCSVHeader (user import jobs) is in the model without an operation file; when it gets one, pick another the model lists.
    assert.ok(!(await loadOperations()).has('GetCSVHeader'), 'GetCSVHeader is implemented now: choose another unimplemented operation for this test');
    const err = await c.admin.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_abc' })).then(
      () => assert.fail('GetCSVHeader succeeded'),
      (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
    );
    assert.equal(err.name, 'UnknownOperationException');
    assert.equal(err.message, 'Cognate does not implement GetCSVHeader yet.');
    assert.equal(err.$metadata.httpStatusCode, 400);
  });

  it('names every unimplemented operation of the model in its UnknownOperationException, before any signature check', async () => {
    const implemented = await loadOperations();
    const missing = Object.keys(model.operations).filter((name) => !implemented.has(name));
    assert.ok(missing.length > 0);
    for (const name of missing) {
      const res = await rawCall(c.url, name, '{}');
      assertError(res, 'UnknownOperationException');
      assert.equal(res.body['message'], `Cognate does not implement ${name} yet.`);
    }
  });

  it('knows the operations the current SDK has beyond the model: each is served, or named in its UnknownOperationException', async () => {
    const implemented = await loadOperations();
    for (const name of sdkOnly.operations) {
      const res = await rawCall(c.url, name, '{}');
      if (implemented.has(name)) {
        // Served: an empty body fails the operation's own checks (its required members, or its caller), never an unknown target.
        assert.notEqual(res.body['__type'], 'UnknownOperationException', `${name} is implemented`);
        assert.ok(res.status >= 400 && res.status < 500, `${name}: a 4xx for an empty body, got ${res.status}`);
      } else {
        assertError(res, 'UnknownOperationException');
        assert.equal(res.body['message'], `Cognate does not implement ${name} yet.`);
      }
    }
  });

  it('keeps the bare UnknownOperationException for a name outside the model, inherited object keys included', async () => {
    for (const name of ['NoSuchOperation', 'constructor', '__proto__', 'toString']) {
      const res = await rawCall(c.url, name, '{}');
      assertError(res, 'UnknownOperationException');
      assert.deepEqual(res.body, { __type: 'UnknownOperationException' });
    }
  });

  it('answers a missing or foreign X-Amz-Target with UnknownOperationException', async () => {
    assertError(await rawCall(c.url, null, '{}'), 'UnknownOperationException');
    assertError(await rawCall(c.url, null, '{}', { 'x-amz-target': 'DynamoDB_20120810.ListTables' }), 'UnknownOperationException');
  });

  it('answers malformed JSON with SerializationException', async () => {
    for (const body of ['{', '', 'null', '"x"', '[1]', '{"ClientId": "a",}']) {
      assertError(await rawCall(c.url, 'SignUp', body), 'SerializationException');
    }
  });

  it('answers invalid UTF-8 with SerializationException', async () => {
    assertError(await rawCall(c.url, 'SignUp', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 'SerializationException');
  });

  it('answers wrong JSON types with SerializationException in AWS words', async () => {
    const res = await rawCall(c.url, 'SignUp', JSON.stringify({ ClientId: clientId, Username: { a: 1 }, Password: 'x' }));
    assertError(res, 'SerializationException');
    assert.equal(res.body['message'], 'Start of structure or map found where not expected.');
    const num = await rawCall(c.url, 'SignUp', JSON.stringify({ ClientId: clientId, Username: 5, Password: 'x' }));
    assert.equal(num.body['message'], 'NUMBER_VALUE can not be converted to a String');
    const list = await rawCall(c.url, 'SignUp', JSON.stringify({ ClientId: clientId, Username: 'u', UserAttributes: 'x' }));
    assert.equal(list.body['message'], 'Expected list or null');
  });

  it('answers missing required members with one InvalidParameterException listing each', async () => {
    const res = await rawCall(c.url, 'SignUp', '{}');
    assertError(res, 'InvalidParameterException');
    assert.equal(
      res.body['message'],
      "2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });

  it('checks lengths and patterns from the API model, without echoing sensitive values', async () => {
    const res = await rawCall(c.url, 'SignUp', JSON.stringify({ ClientId: clientId, Username: 'has space', Password: 'a'.repeat(300) }));
    assertError(res, 'InvalidParameterException');
    const message = String(res.body['message']);
    assert.match(message, /^2 validation errors detected: /);
    assert.match(message, /Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256/);
    assert.match(message, /at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    assert.ok(!message.includes('aaaa'), 'the password is not echoed');
    assert.ok(!message.includes('has space'), 'the sensitive username is not echoed');
  });

  it('checks nested list members with AWS paths', async () => {
    const res = await rawCall(
      c.url,
      'SignUp',
      JSON.stringify({ ClientId: clientId, Username: 'u', Password: 'Passw0rd!', UserAttributes: [{ Name: '', Value: 'x' }] }),
    );
    assertError(res, 'InvalidParameterException');
    assert.match(
      String(res.body['message']),
      /'userAttributes\.1\.member\.name' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    );
  });

  it('checks enums', async () => {
    const res = await rawCall(c.url, 'InitiateAuth', JSON.stringify({ ClientId: clientId, AuthFlow: 'MAGIC' }));
    assertError(res, 'InvalidParameterException');
    assert.match(String(res.body['message']), /at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set/);
  });

  it('refuses prototype keys', async () => {
    const res = await rawCall(c.url, 'SignUp', `{"ClientId":"${clientId}","Username":"u","__proto__":{"admin":true}}`);
    assertError(res, 'SerializationException');
  });

  it('ignores unknown members, as AWS does', async () => {
    const res = await rawCall(
      c.url,
      'InitiateAuth',
      JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: 'x' }, SomethingNew: 1 }),
    );
    assert.notEqual(res.body['__type'], 'SerializationException');
    assert.equal(res.status, 400);
  });

  it('refuses a body over the configured limit with a Cognito-shaped 413', async () => {
    const res = await rawCall(c.url, 'SignUp', JSON.stringify({ ClientId: clientId, Username: 'u', Password: 'x'.repeat(5000) }));
    assertError(res, 'RequestEntityTooLargeException', 413);
  });

  it('answers an unknown client with ResourceNotFoundException', async () => {
    const res = await rawCall(c.url, 'SignUp', JSON.stringify({ ClientId: 'a'.repeat(26), Username: 'u', Password: 'Passw0rd!' }));
    assertError(res, 'ResourceNotFoundException');
    assert.equal(res.body['message'], `User pool client ${'a'.repeat(26)} does not exist.`);
  });

  it('keeps serving after every bad request above', async () => {
    const out = await c.admin.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.ok(out.UserPools);
    const health = await fetch(`${c.url}/health`);
    assert.equal(health.status, 200);
  });

  it('answers CORS preflight for browser SDKs', async () => {
    const res = await fetch(c.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });
});
