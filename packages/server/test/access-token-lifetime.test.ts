import { sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmSignUpCommand, CreateUserPoolClientCommand, GetUserCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { openPrivateKey } from '../src/crypto/signing-keys.ts';
import { FakeClock } from '../src/services/clock.ts';
import { createPoolAndClient, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// A token signed with the pool's own key that lives longer than any app
// client can make an access token live (AccessTokenValidity: five minutes to
// one day), or that was issued in the future, can only come from a leaked
// signing key or a wrong clock: GetUser (and userInfo) refuse it as any other
// malformed token, while every token a pool does issue keeps working.

const clock = new FakeClock(Date.now());
let c: Running;
let seq = 0;
const DAY = 86400;

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const nowS = () => Math.floor(clock.now() / 1000);
const getUser = (token: string) => c.anon.send(new GetUserCommand({ AccessToken: token }));
const invalid = { name: 'NotAuthorizedException', message: 'Invalid Access Token' };

/** A real sign-in's access token. */
async function accessToken(clientId: string): Promise<string> {
  const email = `lifetime-${++seq}@example.com`;
  await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await c.inbox.nextCode(email) }));
  return (await passwordSignIn(c, clientId, email, PASSWORD)).AuthenticationResult!.AccessToken!;
}

/** The token's claims with `changes`, signed with the pool's active access-token key exactly as Cognate signs. */
async function resigned(poolId: string, token: string, changes: Record<string, unknown>): Promise<string> {
  const key = (await c.deps.store.pools.signingKeys(poolId)).find((k) => k.token_use === 'access' && k.status === 'active')!;
  const input = `${b64({ kid: key.kid, alg: 'RS256' })}.${b64({ ...payloadOf(token), ...changes })}`;
  return `${input}.${sign('sha256', Buffer.from(input), openPrivateKey(c.deps.master, key)).toString('base64url')}`;
}

describe('access tokens signed with the pool key but never issued by it', () => {
  let poolId: string;
  let clientId: string;
  before(async () => {
    c = await startCognate({ clock });
    ({ poolId, clientId } = await createPoolAndClient(c, {
      pool: { PoolName: 'lifetime', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] },
      client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    }));
  });
  after(() => c.stop());

  it('GetUser accepts a token re-signed with the pool key living exactly one day, the longest a client can set', async () => {
    const token = await accessToken(clientId);
    const iat = nowS();
    assert.ok((await getUser(await resigned(poolId, token, { iat, exp: iat + DAY }))).Username);
  });

  it('GetUser refuses one living a second longer than a day: "Invalid Access Token"', async () => {
    const token = await accessToken(clientId);
    const iat = nowS();
    await assert.rejects(getUser(await resigned(poolId, token, { iat, exp: iat + DAY + 1 })), invalid);
    await assert.rejects(getUser(await resigned(poolId, token, { iat: iat - 10 * 365 * DAY, exp: iat + 3600 })), invalid, 'an old iat with a current exp');
    assert.ok((await getUser(token)).Username, 'the token as issued still works');
  });

  it('GetUser accepts an iat up to five minutes ahead (clock skew between nodes) and refuses one further ahead: "Invalid Access Token"', async () => {
    const token = await accessToken(clientId);
    const iat = nowS();
    assert.ok((await getUser(await resigned(poolId, token, { iat: iat + 300, exp: iat + 3600 }))).Username);
    await assert.rejects(getUser(await resigned(poolId, token, { iat: iat + 301, exp: iat + 3600 })), invalid);
    await assert.rejects(getUser(await resigned(poolId, token, { iat: iat + 3000, exp: iat + 3600 })), invalid);
  });

  it('GetUser refuses such a token again when its signature is already remembered (verified-tokens.ts)', async () => {
    const token = await accessToken(clientId);
    const iat = nowS();
    const long = await resigned(poolId, token, { iat, exp: iat + 2 * DAY });
    await assert.rejects(getUser(long), invalid);
    assert.ok(c.deps.tokens.verified.get(long, nowS()), 'its signature verified and is remembered');
    await assert.rejects(getUser(long), invalid);
  });

  it('the userInfo endpoint refuses it too', async () => {
    const token = await accessToken(clientId);
    const iat = nowS();
    const scope = 'openid aws.cognito.signin.user.admin';
    const userInfo = (t: string) => fetch(`${c.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal((await userInfo(await resigned(poolId, token, { scope, iat, exp: iat + 3600 }))).status, 200);
    const refused = await userInfo(await resigned(poolId, token, { scope, iat, exp: iat + DAY + 1 }));
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  it('GetUser accepts the tokens of a client whose access tokens live one day, to their last second', async () => {
    const { UserPoolClient } = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'one-day',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 1,
        TokenValidityUnits: { AccessToken: 'days' },
      }),
    );
    const token = await accessToken(UserPoolClient!.ClientId!);
    const claims = payloadOf(token);
    assert.equal(Number(claims['exp']) - Number(claims['iat']), DAY);
    clock.advance((DAY - 1) * 1000);
    assert.ok((await getUser(token)).Username);
  });
});
