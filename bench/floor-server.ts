// The floor for bench/server.ts: a bare Fastify server on POST / that answers
// every AWS-JSON call with a fixed body, reading nothing and checking nothing
// (the body is read as a buffer and parsed, as any AWS-JSON server must).
// What it manages is the most any Fastify server on this machine can do
// against the same load generator: the HTTP stack's own cost. Started by
// bench/server.ts as the contender `floor`; prints "listening on port N".
import Fastify from 'fastify';

const TOKEN = 'e30.e30.e30';
const answers: Record<string, string> = {
  CreateUserPool: JSON.stringify({ UserPool: { Id: 'us-east-1_floor' } }),
  CreateUserPoolClient: JSON.stringify({ UserPoolClient: { ClientId: 'floorclient' } }),
  InitiateAuth: JSON.stringify({ AuthenticationResult: { AccessToken: TOKEN, IdToken: TOKEN, RefreshToken: 'r', ExpiresIn: 3600, TokenType: 'Bearer' } }),
  ListUsers: JSON.stringify({ Users: [{ Username: 'u', Attributes: [] }] }),
  GetUser: JSON.stringify({ Username: 'u', UserAttributes: [{ Name: 'sub', Value: '00000000-0000-0000-0000-000000000000' }] }),
  AdminGetUser: JSON.stringify({ Username: 'u', UserAttributes: [], Enabled: true, UserStatus: 'CONFIRMED' }),
};

const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/', async (req, reply) => {
  JSON.parse((req.body as Buffer).toString('utf8'));
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.slice(target.indexOf('.') + 1);
  reply.header('content-type', 'application/x-amz-json-1.1');
  return reply.send(answers[op] ?? '{}');
});
// bench/oauth.ts: the token endpoint's floor, a form read and a fixed client-credentials answer.
const tokenAnswer = JSON.stringify({ access_token: TOKEN, expires_in: 3600, token_type: 'Bearer' });
app.post('/oauth2/token', async (req, reply) => {
  new URLSearchParams((req.body as Buffer).toString('utf8'));
  reply.header('content-type', 'application/json;charset=UTF-8').header('cache-control', 'no-store');
  return reply.send(tokenAnswer);
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening on port ${new URL(address).port}`);
// A clean exit on SIGTERM, so --cpu-prof writes its profile.
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
