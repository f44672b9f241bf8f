import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { FunctionMap } from '../src/triggers/function-map.ts';
import { Functions } from '../src/triggers/functions.ts';
import { runTrigger } from '../src/triggers/run-trigger.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { type ServerlessOffline, startServerlessOffline } from './helpers/serverless-offline.ts';
import { arnOf, contextOf, poolWith, preSignUpCall } from './helpers/trigger-functions.ts';

// Trigger functions reached through the AWS Lambda Invoke API
// (--lambda-endpoint), here served for real by serverless-offline: Cognate
// calls the function by its ARN and reads its payload or its FunctionError.

describe('Trigger functions through the Lambda Invoke API (serverless-offline)', () => {
  let offline: ServerlessOffline;
  let running: Running;
  before(async () => {
    offline = await startServerlessOffline({
      'pre-sign-up': [
        'export const handler = async (event) => {',
        '  event.response.autoConfirmUser = true;',
        '  event.response.seen = { triggerSource: event.triggerSource, userPoolId: event.userPoolId, email: event.request.userAttributes.email };',
        '  return event;',
        '};',
      ].join('\n'),
      refuses: "export const handler = async () => { throw new Error('Sign-ups are closed'); };",
      'returns-text': "export const handler = async () => 'ok';",
    });
    running = await startCognate({ config: { lambdaEndpoint: offline.endpoint } });
  });
  after(async () => {
    await running?.stop();
    await offline?.stop();
  });

  const run = async (name: string) => runTrigger(contextOf(running), await poolWith(running, { PreSignUp: arnOf(name) }), preSignUpCall());

  it("invokes the function named by the ARN with Cognito's event and takes its returned event", async () => {
    const pool = await poolWith(running, { PreSignUp: arnOf('pre-sign-up') });
    const started = performance.now();
    const response = await runTrigger(contextOf(running), pool, preSignUpCall());
    assert.deepEqual(response, {
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
      seen: { triggerSource: 'PreSignUp_SignUp', userPoolId: pool.id, email: 'alice@example.com' },
    });
    // No AWS credentials anywhere: the local pair is used at once, not after the SDK's metadata-service probes.
    assert.ok(performance.now() - started < 3000, `took ${Math.round(performance.now() - started)} ms`);
  });

  it("takes the function's error (FunctionError) as UserLambdaValidationException with its errorMessage", async () => {
    await assert.rejects(run('refuses'), { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Sign-ups are closed.' });
  });

  it('takes an output that is not an event as InvalidLambdaResponseException', async () => {
    await assert.rejects(run('returns-text'), { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
  });

  it('fails with UnexpectedLambdaException when the function does not exist', async () => {
    await assert.rejects(run('no-such-function'), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });
  });
});

describe('The Lambda Invoke API unreachable', () => {
  let running: Running;
  let functions: Functions;
  before(async () => {
    running = await startCognate();
    // An endpoint nothing listens on: a port the OS just handed out and took back.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    functions = new Functions(FunctionMap.empty(), { lambdaEndpoint: `http://127.0.0.1:${port}`, region: 'us-east-1' });
  });
  after(async () => {
    await functions.close();
    await running.stop();
  });

  it('tries three times, then fails with UnexpectedLambdaException naming the refusal', async () => {
    const pool = await poolWith(running, { PreSignUp: arnOf('pre-sign-up') });
    const started = performance.now();
    await assert.rejects(runTrigger({ ...contextOf(running), functions }, pool, preSignUpCall()), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ECONNREFUSED.',
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 1000 && elapsed < 3000, `gave up after ${Math.round(elapsed)} ms`);
  });
});
