import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Pool } from '../src/domain/pool-settings.ts';
import { runTrigger, sdkVersionOf } from '../src/triggers/run-trigger.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { arnOf, contextOf, poolWith, preSignUpCall, TriggerFunctions } from './helpers/trigger-functions.ts';

// Trigger functions as local modules (functions file "module" entries): the
// Lambda Node.js runtime's handler styles, run in a worker thread, with
// Cognito's errors for a function that throws, answers nonsense or overruns.

const TIMEOUT = 'Socket timeout while invoking Lambda function.';

describe('Trigger functions as local modules', () => {
  const dir = new TriggerFunctions();
  let running: Running;
  const modules: Record<string, string> = {
    'async-return': 'export const handler = async (event) => { RECORD(event); event.response.autoConfirmUser = true; return event; };',
    callback: 'export const handler = (event, context, callback) => { event.response.autoVerifyEmail = true; setImmediate(() => callback(null, event)); };',
    'callback-error': "export const handler = (event, context, callback) => callback(new Error('callback says no'));",
    'context-done': "export const handler = (event, context) => { event.response = { style: 'done' }; context.done(null, event); };",
    'context-succeed': "export const handler = (event, context) => { event.response = { style: 'succeed' }; context.succeed(event); };",
    'context-fail': "export const handler = (event, context) => context.fail(new Error('context says no'));",
    throws: "export const handler = async () => { throw new Error('Sign-up is closed on Sundays'); };",
    'throws-sync': "export const handler = () => { throw new Error('thrown at once'); };",
    'returns-string': "export const handler = async () => 'all good';",
    'returns-nothing': 'export const handler = async () => {};',
    'bad-response': "export const handler = async (event) => ({ ...event, response: 'yes' });",
    'no-response': 'export const handler = async (event) => { delete event.response; return event; };',
    'no-handler': 'export const other = async (event) => event;',
    env: "export const handler = async (event) => ({ ...event, response: { seen: process.env.COGNATE_TRIGGER_TEST_VAR ?? 'unset' } });",
  };

  before(async () => {
    // Handlers see the server's environment, as a Lambda function sees its configuration's.
    process.env['COGNATE_TRIGGER_TEST_VAR'] = 'from the server';
    for (const [name, source] of Object.entries(modules)) dir.module(name, source);
    // Written as they are: a CommonJS module, a TypeScript one, and a named export other than handler.
    dir.file('cjs.cjs', 'exports.handler = async (event) => ({ ...event, response: { style: "commonjs" } });');
    dir.file(
      'typed.ts',
      [
        'interface PreSignUpEvent { request: { userAttributes: Record<string, string> }; response: Record<string, unknown> }',
        'export const handler = async (event: PreSignUpEvent): Promise<PreSignUpEvent> => {',
        "  const email: string = event.request.userAttributes['email'] ?? '';",
        "  event.response = { domain: email.split('@')[1] as string };",
        '  return event;',
        '};',
      ].join('\n'),
    );
    dir.file('named.mjs', 'export const preSignUp = async (event) => ({ ...event, response: { export: "preSignUp" } });');
    dir.register({ cjs: { module: './cjs.cjs' }, typed: { module: './typed.ts' }, [arnOf('named-export')]: { module: './named.mjs', handler: 'preSignUp' } });
    running = await startCognate({ config: { functionsFile: dir.functionsFile } });
  });
  after(async () => {
    await running.stop();
    dir.cleanup();
    delete process.env['COGNATE_TRIGGER_TEST_VAR'];
  });

  const run = async (name: string, call = preSignUpCall()) => runTrigger(contextOf(running), await poolWith(running, { PreSignUp: arnOf(name) }), call);

  it("hands an async handler Cognito's event and resolves to the response it returned", async () => {
    const pool = await poolWith(running, { PreSignUp: arnOf('async-return') });
    const response = await runTrigger(
      contextOf(running),
      pool,
      preSignUpCall({ request: { userAttributes: { email: 'alice@example.com' }, validationData: { a: 'b' } } }),
    );
    assert.deepEqual(response, { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
    assert.deepEqual(dir.events('async-return').at(-1), {
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: pool.id,
      userName: 'alice',
      callerContext: { awsSdkVersion: 'aws-sdk-js-3.901.0', clientId: 'client-1' },
      request: { userAttributes: { email: 'alice@example.com' }, validationData: { a: 'b' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it('resolves to null, invoking nothing, when the pool has no such trigger', async () => {
    const pool = await poolWith(running, { PostConfirmation: arnOf('async-return') });
    const before = dir.events('async-return').length;
    assert.equal(await runTrigger(contextOf(running), pool, preSignUpCall()), null);
    assert.equal(dir.events('async-return').length, before);
  });

  it('takes the output a callback-style handler calls back with', async () => {
    assert.deepEqual(await run('callback'), { autoConfirmUser: false, autoVerifyEmail: true, autoVerifyPhone: false });
  });

  it('takes the output of the legacy context.done and context.succeed', async () => {
    assert.deepEqual(await run('context-done'), { style: 'done' });
    assert.deepEqual(await run('context-succeed'), { style: 'succeed' });
  });

  it('runs a CommonJS module, a named export other than handler, and a TypeScript module', async () => {
    assert.deepEqual(await run('cjs'), { style: 'commonjs' });
    assert.deepEqual(await run('named-export'), { export: 'preSignUp' });
    assert.deepEqual(await run('typed'), { domain: 'example.com' });
  });

  it('takes a returned event without a response as no change: {}', async () => {
    assert.deepEqual(await run('no-response'), {});
  });

  it('fails with UserLambdaValidationException "<Trigger> failed with error <message>." when the handler throws or rejects', async () => {
    const error = (message: string) => ({ name: 'UserLambdaValidationException', message: `PreSignUp failed with error ${message}.` });
    await assert.rejects(run('throws'), error('Sign-up is closed on Sundays'));
    await assert.rejects(run('throws-sync'), error('thrown at once'));
    await assert.rejects(run('callback-error'), error('callback says no'));
    await assert.rejects(run('context-fail'), error('context says no'));
  });

  it('names the trigger that failed in the message', async () => {
    const pool = await poolWith(running, { PostConfirmation: arnOf('throws') });
    const call = preSignUpCall({ trigger: 'PostConfirmation', triggerSource: 'PostConfirmation_ConfirmSignUp', response: {} });
    await assert.rejects(runTrigger(contextOf(running), pool, call), {
      name: 'UserLambdaValidationException',
      message: 'PostConfirmation failed with error Sign-up is closed on Sundays.',
    });
  });

  it('fails with InvalidLambdaResponseException when the output is not an event, or its response is not an object', async () => {
    const invalid = { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' };
    await assert.rejects(run('returns-string'), invalid);
    await assert.rejects(run('returns-nothing'), invalid);
    await assert.rejects(run('bad-response'), invalid);
  });

  it('fails a module without the named export as the function failing', async () => {
    await assert.rejects(run('no-handler'), {
      name: 'UserLambdaValidationException',
      message: /^PreSignUp failed with error .*exports no function named handler\.$/,
    });
    // The thread is still there for the next call: the failure is the call's, not the module's.
    await assert.rejects(run('no-handler'), { name: 'UserLambdaValidationException' });
  });

  it("shows handlers the server's environment variables", async () => {
    assert.deepEqual(await run('env'), { seen: 'from the server' });
  });
});

describe('A trigger function past its five seconds', () => {
  const dir = new TriggerFunctions();
  let running: Running;
  let pool: Pool;
  before(async () => {
    // One module that loops for ever, sleeps past the limit, or answers with its thread's id, as the event asks.
    dir.module(
      'slow',
      [
        "import { threadId } from 'node:worker_threads';",
        'export const handler = async (event) => {',
        "  if (event.request.mode === 'loop') for (;;) {}",
        "  if (event.request.mode === 'sleep') await new Promise((resolve) => setTimeout(resolve, 8000));",
        "  if (event.request.mode === 'exit') process.exit(3);",
        "  if (event.request.mode === 'stray') { setTimeout(() => { throw new Error('thrown in a timer'); }, 0); await new Promise((resolve) => setTimeout(resolve, 1000)); }",
        '  return { ...event, response: { threadId } };',
        '};',
      ].join('\n'),
    );
    running = await startCognate({ config: { functionsFile: dir.functionsFile } });
    pool = await poolWith(running, { PreSignUp: arnOf('slow') });
  });
  after(async () => {
    await running.stop();
    dir.cleanup();
  });

  const call = (mode: string) => runTrigger(contextOf(running), pool, preSignUpCall({ request: { mode } }));
  const timedOut = { name: 'UnexpectedLambdaException', message: `PreSignUp invocation failed due to error ${TIMEOUT}` };

  it('ends a handler that loops for ever after five seconds with UnexpectedLambdaException, the server answering meanwhile', async () => {
    const { threadId: first } = (await call('ok')) as { threadId: number };
    const started = performance.now();
    const looping = assert.rejects(call('loop'), timedOut);
    // The loop runs off the server's event loop: a request made meanwhile is answered at once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const asked = performance.now();
    const res = await fetch(`${running.url}/health`);
    const answeredIn = performance.now() - asked;
    assert.equal(res.status, 200);
    assert.ok(answeredIn < 500, `a request during the loop took ${Math.round(answeredIn)} ms`);
    await looping;
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 4900 && elapsed < 6500, `timed out after ${Math.round(elapsed)} ms`);
    // The stuck thread was ended; the next call runs in a fresh one and works.
    const { threadId: next } = (await call('ok')) as { threadId: number };
    assert.notEqual(next, first);
  });

  it('ends a handler that waits past five seconds the same way, and keeps a warm thread between calls otherwise', async () => {
    const { threadId: a } = (await call('ok')) as { threadId: number };
    const { threadId: b } = (await call('ok')) as { threadId: number };
    assert.equal(a, b, 'a warm thread is reused');
    const started = performance.now();
    await assert.rejects(call('sleep'), timedOut);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 4900 && elapsed < 6500, `timed out after ${Math.round(elapsed)} ms`);
    const { threadId: c } = (await call('ok')) as { threadId: number };
    assert.notEqual(c, a);
  });

  it('fails a call with an exception thrown outside the handler as the function failing, and starts another thread for the next', async () => {
    const { threadId: a } = (await call('ok')) as { threadId: number };
    await assert.rejects(call('stray'), { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error thrown in a timer.' });
    const { threadId: b } = (await call('ok')) as { threadId: number };
    assert.notEqual(b, a);
  });

  it('fails a call whose handler ends its own thread with UnexpectedLambdaException, and starts another for the next', async () => {
    const { threadId: a } = (await call('ok')) as { threadId: number };
    await assert.rejects(call('exit'), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Runtime exited with status 3.',
    });
    const { threadId: b } = (await call('ok')) as { threadId: number };
    assert.notEqual(b, a);
  });
});

describe('callerContext.awsSdkVersion', () => {
  it("names the calling SDK and version from the AWS SDK's own User-Agent", async () => {
    // What the JavaScript SDK v3 really sends, captured rather than written by hand.
    let userAgent = '';
    const server = createServer((req, res) => {
      userAgent = String(req.headers['user-agent']);
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end('{"__type":"NotAuthorizedException","message":"no"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    await client.send(new ListUserPoolsCommand({ MaxResults: 1 })).catch(() => undefined);
    client.destroy();
    server.close();
    const { version } = createRequire(import.meta.url)('@aws-sdk/client-cognito-identity-provider/package.json') as { version: string };
    // The SDK reports its release (it may trail the package's own version by a patch): "aws-sdk-js-3.N.P".
    assert.match(sdkVersionOf(userAgent), new RegExp(`^aws-sdk-js-${version.split('.')[0]}\\.\\d+\\.\\d+$`));
  });

  it('is aws-sdk-unknown-unknown for a caller that is not an AWS SDK', () => {
    assert.equal(sdkVersionOf('Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0'), 'aws-sdk-unknown-unknown');
    assert.equal(sdkVersionOf(''), 'aws-sdk-unknown-unknown');
  });
});
