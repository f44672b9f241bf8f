import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { Deps } from '../context.ts';
import { Errors } from '../errors/cognito-error.ts';
import { categoryOf } from '../services/quota-categories.ts';
import type { AwsJsonApi } from './api.ts';
import { bodyOf, callOf } from './call.ts';
import { AwsJsonRouter } from './router.ts';

// Adding an API is one description and one registration: a toy API with a
// public operation, served by the same router as Cognito's, its target
// resolved once and its body parsed once for every reader.
const toy: AwsJsonApi = {
  targetPrefix: 'ToyService',
  service: 'toy',
  operatorOnly: false,
  loadOperations: async () =>
    new Map([['Echo', { name: 'Echo', auth: 'public' as const, handle: (async (input: { Say: string }) => ({ Said: input.Say })) as never }]]),
  unknownOperation: () => ({ error: Errors.UnknownOperation(''), omitMessage: true }),
  validate: (_op, body) => {
    if (typeof body['Say'] !== 'string') throw Errors.InvalidParameter('Say is required');
    return body;
  },
  inputMembers: () => new Set(['Say']),
  resource: () => '*',
  redact: () => ({}),
  quotaCategory: categoryOf,
};

test('a registered API is served on POST / by its target prefix, the call resolved once and the body parsed once', async () => {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const seen: Array<{ name: string | null; body: unknown }> = [];
  const router = new AwsJsonRouter({ log: app.log } as unknown as Deps, async () => undefined as never);
  await router.register(toy);
  router.resolveEarly(app);
  app.addHook('onSend', async (req, _reply, payload) => {
    const parsed = bodyOf(req);
    seen.push({ name: callOf(req)?.name ?? null, body: parsed.ok ? parsed.value : null });
    // The same object every time it is asked for: parsed once.
    if (parsed.ok) assert.equal(bodyOf(req), parsed);
    return payload;
  });
  router.route(app);
  app.setErrorHandler((err, _req, reply) => reply.code(400).send({ __type: (err as { code?: string }).code }));

  const call = (target: string, body: string) =>
    app.inject({ method: 'POST', url: '/', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, payload: body });
  const ok = await call('ToyService.Echo', '{"Say":"hi"}');
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { Said: 'hi' });
  assert.equal(ok.headers['content-type'], 'application/x-amz-json-1.1');
  assert.deepEqual(seen.at(-1), { name: 'Echo', body: { Say: 'hi' } });

  const unknown = await call('ToyService.Nope', '{}');
  assert.deepEqual(unknown.json(), { __type: 'UnknownOperationException' });
  const foreign = await call('OtherService.Echo', '{}');
  assert.deepEqual(foreign.json(), { __type: 'UnknownOperationException' });
  const malformed = await call('ToyService.Echo', '[1]');
  assert.deepEqual(malformed.json(), { __type: 'SerializationException' });
  const invalid = await call('ToyService.Echo', '{}');
  assert.deepEqual(invalid.json(), { __type: 'InvalidParameterException' });
  await assert.rejects(router.register(toy), /ToyService is registered already/);
  await app.close();
});
