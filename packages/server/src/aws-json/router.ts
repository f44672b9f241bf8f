import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../context.ts';
import type { Operation } from '../cognito-api/operation.ts';
import type { OperatorPolicy } from '../services/operator-policy.ts';
import { handleCognitoCall } from '../cognito-api/protocol.ts';
import { COGNATE_PREFIX, handleCognateCall } from '../cognate-api/protocol.ts';

// POST / carries every AWS JSON 1.1 API Cognate speaks; X-Amz-Target names
// the API by its prefix. Routing here keeps each API's protocol ignorant of
// the others. Cognito's handler answers any target that is not Cognate's,
// as it owns the "unknown operation" answer AWS gives.
export function registerAwsJson(app: FastifyInstance, deps: Deps, ops: Map<string, Operation>, policy: OperatorPolicy): void {
  app.post('/', async (req: FastifyRequest, reply: FastifyReply) => {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith(COGNATE_PREFIX)) return handleCognateCall(req, reply, deps, policy, target);
    return handleCognitoCall(req, reply, deps, ops, policy, target);
  });
}
