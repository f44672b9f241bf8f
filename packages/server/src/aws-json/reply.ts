import type { FastifyReply } from 'fastify';
import type { CognitoError } from '../errors/cognito-error.ts';

// The AWS JSON 1.1 wire answers, shared by every API spoken on POST / and by
// the app's error handler, so that no API's protocol depends on another's.

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export function sendError(reply: FastifyReply, err: CognitoError, omitMessage = false): FastifyReply {
  reply.code(err.statusCode).header('content-type', CONTENT_TYPE).header('x-amzn-errortype', err.code);
  if (!omitMessage) reply.header('x-amzn-errormessage', encodeURIComponent(err.message).slice(0, 1024));
  return reply.send(Buffer.from(JSON.stringify(omitMessage ? { __type: err.code } : { __type: err.code, message: err.message })));
}

export function sendResult(reply: FastifyReply, result: object): FastifyReply {
  reply.header('content-type', CONTENT_TYPE);
  return reply.send(Buffer.from(JSON.stringify(result)));
}
