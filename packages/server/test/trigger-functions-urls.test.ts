import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { runTrigger } from '../src/triggers/run-trigger.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { arnOf, contextOf, poolWith, preSignUpCall, TriggerFunctions } from './helpers/trigger-functions.ts';

// Trigger functions behind a URL (functions file "url" entries): the event
// POSTed as JSON and signed with X-Cognate-Signature, the answer read as the
// function's output, within Cognito's five seconds.

const SECRET = 'the hook secret, from the environment';
const TIMEOUT = 'Socket timeout while invoking Lambda function.';

const listen = async (server: Server, port = 0): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

const bodyOf = async (req: IncomingMessage): Promise<string> => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
};

/** The signature check a receiving service does: HMAC-SHA256 of the raw body, compared in constant time. */
const signedWith = (secret: string, body: string, header: string | undefined): boolean => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

describe('Trigger functions behind a URL', () => {
  const dir = new TriggerFunctions();
  const received: { path: string; headers: IncomingMessage['headers']; event: Record<string, unknown> }[] = [];
  let running: Running;
  let hooks: Server;
  let base: string;
  /** A port nothing listens on until the retry test opens it. */
  let latePort: number;
  let late: Server | null = null;

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await bodyOf(req);
    const path = req.url ?? '';
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/slow') return; // never answers
    if (path !== '/unsigned' && !signedWith(SECRET, body, req.headers['x-cognate-signature'] as string | undefined))
      return json(401, { message: 'bad signature' });
    const event = JSON.parse(body) as Record<string, unknown>;
    received.push({ path, headers: req.headers, event });
    if (path === '/ok' || path === '/unsigned') return json(200, { ...event, response: { autoConfirmUser: true, via: path } });
    if (path === '/refuse') return json(400, { errorMessage: 'Not on the guest list' });
    if (path === '/not-found') return res.writeHead(404, { 'content-type': 'text/plain' }).end('no such hook');
    if (path === '/crash') return json(500, { errorMessage: 'database down' });
    if (path === '/text') return res.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
    return json(404, {});
  };

  before(async () => {
    hooks = createServer((req, res) => void answer(req, res));
    base = `http://127.0.0.1:${await listen(hooks)}`;
    const probe = createServer();
    latePort = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    process.env['COGNATE_TEST_HOOK_SECRET'] = SECRET;
    const signed = (path: string) => ({ url: `${base}${path}`, secretEnv: 'COGNATE_TEST_HOOK_SECRET' });
    const { functionsFile } = dir.register({
      ok: signed('/ok'),
      refuse: signed('/refuse'),
      'not-found': signed('/not-found'),
      crash: signed('/crash'),
      text: signed('/text'),
      slow: signed('/slow'),
      unsigned: { url: `${base}/unsigned` },
      late: { url: `http://127.0.0.1:${latePort}/ok`, secretEnv: 'COGNATE_TEST_HOOK_SECRET' },
    });
    running = await startCognate({ config: { functionsFile } });
  });
  after(async () => {
    await running.stop();
    hooks.closeAllConnections();
    await new Promise((resolve) => hooks.close(resolve));
    late?.closeAllConnections();
    late?.close();
    dir.cleanup();
    delete process.env['COGNATE_TEST_HOOK_SECRET'];
  });

  const run = async (name: string) => runTrigger(contextOf(running), await poolWith(running, { PreSignUp: arnOf(name) }), preSignUpCall());

  it('POSTs the event as JSON, signed with X-Cognate-Signature, and takes a 2xx answer as the returned event', async () => {
    const pool = await poolWith(running, { PreSignUp: arnOf('ok') });
    const response = await runTrigger(contextOf(running), pool, preSignUpCall());
    assert.deepEqual(response, { autoConfirmUser: true, via: '/ok' });
    const { headers, event } = received.at(-1)!;
    assert.match(String(headers['content-type']), /^application\/json/);
    assert.match(String(headers['x-cognate-signature']), /^sha256=[0-9a-f]{64}$/);
    assert.equal(event['userPoolId'], pool.id);
    assert.equal(event['triggerSource'], 'PreSignUp_SignUp');
    assert.deepEqual(event['response'], { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it('sends no signature for an entry without a secret', async () => {
    assert.deepEqual(await run('unsigned'), { autoConfirmUser: true, via: '/unsigned' });
    assert.equal(received.at(-1)!.headers['x-cognate-signature'], undefined);
  });

  it('takes a 4xx answer with {"errorMessage"} as the function failing: UserLambdaValidationException', async () => {
    await assert.rejects(run('refuse'), { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Not on the guest list.' });
  });

  it('takes a 5xx answer, or a 4xx without errorMessage, as the function not running: UnexpectedLambdaException', async () => {
    await assert.rejects(run('crash'), { name: 'UnexpectedLambdaException', message: 'PreSignUp invocation failed due to error HTTP 500.' });
    await assert.rejects(run('not-found'), { name: 'UnexpectedLambdaException', message: 'PreSignUp invocation failed due to error HTTP 404.' });
  });

  it('takes a 2xx answer that is not a JSON event as InvalidLambdaResponseException', async () => {
    await assert.rejects(run('text'), { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
  });

  it('gives up on a URL that does not answer within five seconds: UnexpectedLambdaException', async () => {
    const pool = await poolWith(running, { PreSignUp: arnOf('slow') });
    const started = performance.now();
    await assert.rejects(runTrigger(contextOf(running), pool, preSignUpCall()), {
      name: 'UnexpectedLambdaException',
      message: `PreSignUp invocation failed due to error ${TIMEOUT}`,
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 4900 && elapsed < 6000, `gave up after ${Math.round(elapsed)} ms`);
  });

  it('tries a refused connection three times, then fails with UnexpectedLambdaException', async () => {
    const pool = await poolWith(running, { PreSignUp: arnOf('late') });
    const started = performance.now();
    await assert.rejects(runTrigger(contextOf(running), pool, preSignUpCall()), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ECONNREFUSED.',
    });
    const elapsed = performance.now() - started;
    // Two pauses (200 and 800 ms) between three attempts, well within the five seconds.
    assert.ok(elapsed >= 1000 && elapsed < 3000, `gave up after ${Math.round(elapsed)} ms`);
  });

  it('reaches a function that starts listening while the call is retrying', async () => {
    const pool = await poolWith(running, { PreSignUp: arnOf('late') });
    const call = runTrigger(contextOf(running), pool, preSignUpCall());
    // The first attempt is refused; the second, after a pause of 200 ms, finds the server.
    await new Promise((resolve) => setTimeout(resolve, 50));
    late = createServer((req, res) => void answer(req, res));
    await listen(late, latePort);
    assert.deepEqual(await call, { autoConfirmUser: true, via: '/ok' });
  });
});

describe('What the trigger runtime logs', () => {
  const dir = new TriggerFunctions();
  const PASSWORD = 'Migr4te-Secret-Pw!';
  const REFUSAL = 'refused-because-of-something-private';
  let logs = '';
  let running: Running;
  let hooks: Server;
  before(async () => {
    // Both answers echo the event, password included, as a careless function might.
    hooks = createServer(async (req, res) => {
      const body = await bodyOf(req);
      if (req.url === '/crash') return res.writeHead(500, { 'content-type': 'application/json' }).end(body);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errorMessage: REFUSAL, event: JSON.parse(body) as unknown }));
    });
    const base = `http://127.0.0.1:${await listen(hooks)}`;
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    const { functionsFile } = dir.register({ crash: { url: `${base}/crash`, secret: SECRET }, refuse: { url: `${base}/refuse`, secret: SECRET } });
    running = await startCognate({ config: { functionsFile, logLevel: 'trace' }, logStream: stream });
  });
  after(async () => {
    await running.stop();
    hooks.closeAllConnections();
    await new Promise((resolve) => hooks.close(resolve));
    dir.cleanup();
  });

  it('logs a function that could not be run by trigger, ARN and reason, and never an event, an answer or the signing key', async () => {
    const call = preSignUpCall({
      trigger: 'UserMigration',
      triggerSource: 'UserMigration_Authentication',
      request: { password: PASSWORD, validationData: {} },
    });
    const crash = await poolWith(running, { UserMigration: arnOf('crash') });
    await assert.rejects(runTrigger(contextOf(running), crash, call), { name: 'UnexpectedLambdaException' });
    const refuse = await poolWith(running, { UserMigration: arnOf('refuse') });
    await assert.rejects(runTrigger(contextOf(running), refuse, call), {
      name: 'UserLambdaValidationException',
      message: `UserMigration failed with error ${REFUSAL}.`,
    });
    const warning = logs
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line['msg'] === 'trigger function could not be invoked');
    assert.ok(warning, 'the failure to invoke is logged');
    assert.equal(warning['trigger'], 'UserMigration');
    assert.equal(warning['function'], arnOf('crash'));
    assert.equal(warning['reason'], 'HTTP 500.');
    for (const secret of [PASSWORD, REFUSAL, SECRET, 'alice@example.com']) assert.ok(!logs.includes(secret), `the logs contain ${secret}`);
  });
});
