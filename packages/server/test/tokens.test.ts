import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminInitiateAuthCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  DeleteUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { FakeClock } from '../src/services/clock.ts';
import { createPoolAndClient, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const clock = new FakeClock(Date.now());
let c: Running;
let seq = 0;

interface Pool {
  poolId: string;
  clientId: string;
}

async function newPool(): Promise<Pool> {
  const { poolId, clientId } = await createPoolAndClient(c, {
    pool: { PoolName: 'tokens', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] },
    client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  });
  return { poolId, clientId };
}

/** A user confirmed with the mailed code, and their first tokens. */
async function signedIn(pool: Pool): Promise<{ email: string; sub: string; tokens: AuthenticationResultType }> {
  const email = `tokens-${++seq}@example.com`;
  const out = await c.anon.send(new SignUpCommand({ ClientId: pool.clientId, Username: email, Password: PASSWORD }));
  const code = await c.inbox.nextCode(email);
  await c.anon.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: code }));
  const auth = await passwordSignIn(c, pool.clientId, email, PASSWORD);
  return { email, sub: out.UserSub!, tokens: auth.AuthenticationResult! };
}

const issuer = (poolId: string) => `${c.url}/${poolId}`;

/** Verifies a token the way an API behind Cognate would: JWKS from the issuer, exact issuer, the fake clock's time. */
async function verify(poolId: string, token: string, audience?: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${issuer(poolId)}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: issuer(poolId),
    algorithms: ['RS256'],
    currentDate: new Date(clock.now()),
    ...(audience ? { audience } : {}),
  });
  return payload;
}

const getUser = (token: string) => c.anon.send(new GetUserCommand({ AccessToken: token }));
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('tokens', () => {
  let pool: Pool;
  before(async () => {
    c = await startCognate({ clock });
    pool = await newPool();
  });
  after(() => c.stop());

  describe('as issued', () => {
    it('verify against the JWKS at the issuer; the access token has client_id and no aud, the ID token aud = client ID', async () => {
      const { email, sub, tokens } = await signedIn(pool);
      const access = await verify(pool.poolId, tokens.AccessToken!);
      assert.equal(access['token_use'], 'access');
      assert.equal(access['client_id'], pool.clientId);
      assert.equal(access.aud, undefined);
      assert.equal(access.sub, sub);
      assert.equal(access['username'], sub, 'with email as the username attribute the username is the sub');
      assert.equal(access['scope'], 'aws.cognito.signin.user.admin');
      for (const claim of ['origin_jti', 'event_id', 'jti', 'auth_time', 'iat', 'exp']) assert.ok(access[claim] !== undefined, `access token has ${claim}`);

      const id = await verify(pool.poolId, tokens.IdToken!, pool.clientId);
      assert.equal(id['token_use'], 'id');
      assert.equal(id.aud, pool.clientId);
      assert.equal(id['cognito:username'], sub);
      assert.equal(id['email'], email);
      assert.equal(id['email_verified'], true, 'a boolean, not the string "true"');
      assert.equal(id['origin_jti'], access['origin_jti']);
      assert.equal(id['auth_time'], access['auth_time']);
      assert.equal(tokens.TokenType, 'Bearer');
      assert.equal(tokens.ExpiresIn, 3600);
    });

    it('are signed with different keys for ID and access tokens', async () => {
      const { tokens } = await signedIn(pool);
      const [accessKid, idKid] = [decodeProtectedHeader(tokens.AccessToken!).kid, decodeProtectedHeader(tokens.IdToken!).kid];
      assert.ok(accessKid && idKid);
      assert.notEqual(accessKid, idKid);
      assert.equal(decodeProtectedHeader(tokens.AccessToken!).alg, 'RS256');
    });

    it('keep auth_time and origin_jti across REFRESH_TOKEN_AUTH, with new jti and iat', async () => {
      const { tokens } = await signedIn(pool);
      clock.advance(10 * 60_000);
      const out = await c.anon.send(
        new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
      );
      const renewed = out.AuthenticationResult!;
      assert.equal(renewed.RefreshToken, undefined, 'no new refresh token on refresh');
      const [before, after] = [await verify(pool.poolId, tokens.AccessToken!), await verify(pool.poolId, renewed.AccessToken!)];
      assert.equal(after['auth_time'], before['auth_time']);
      assert.equal(after['origin_jti'], before['origin_jti']);
      assert.notEqual(after.jti, before.jti);
      assert.ok(after.iat! >= before.iat! + 600);
      const id = await verify(pool.poolId, renewed.IdToken!, pool.clientId);
      assert.equal(id['origin_jti'], before['origin_jti']);
      assert.equal(id['auth_time'], before['auth_time']);
    });

    it("carry the issuer that the pool's openid-configuration announces", async () => {
      const { tokens } = await signedIn(pool);
      const res = await fetch(`${issuer(pool.poolId)}/.well-known/openid-configuration`);
      const config = (await res.json()) as { issuer: string; jwks_uri: string };
      assert.equal(config.issuer, payloadOf(tokens.AccessToken!)['iss']);
      assert.equal(config.issuer, payloadOf(tokens.IdToken!)['iss']);
      assert.equal(config.jwks_uri, `${config.issuer}/.well-known/jwks.json`);
    });
  });

  describe('GetTokensFromRefreshToken', () => {
    it('returns new access and ID tokens in the same family, without a new refresh token', async () => {
      const { tokens } = await signedIn(pool);
      const out = await c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: tokens.RefreshToken! }));
      const result = out.AuthenticationResult!;
      assert.equal(result.RefreshToken, undefined);
      assert.equal(payloadOf(result.AccessToken!)['origin_jti'], payloadOf(tokens.AccessToken!)['origin_jti']);
      assert.ok((await getUser(result.AccessToken!)).Username);
    });

    it("refuses a garbage token, another client's token, and a revoked one", async () => {
      const { tokens } = await signedIn(pool);
      const invalid = { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' };
      await assert.rejects(c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: 'x'.repeat(64) })), invalid);
      const other = await newPool();
      await assert.rejects(c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId: other.clientId, RefreshToken: tokens.RefreshToken! })), invalid);
      await c.anon.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
      await assert.rejects(c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: tokens.RefreshToken! })), {
        name: 'NotAuthorizedException',
        message: 'Refresh Token has been revoked',
      });
    });

    it('requires the client secret from a client that has one', async () => {
      const secretClient = await c.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.poolId,
          ClientName: 'secret',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      const { ClientId, ClientSecret } = secretClient.UserPoolClient!;
      const { email } = await signedIn(pool);
      const auth = await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool.poolId,
          ClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: email,
            PASSWORD,
            SECRET_HASH: createHmac('sha256', ClientSecret!)
              .update(email + ClientId)
              .digest('base64'),
          },
        }),
      );
      const token = auth.AuthenticationResult!.RefreshToken!;
      await assert.rejects(c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: token })), { name: 'NotAuthorizedException' });
      await assert.rejects(c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: token, ClientSecret: 'x'.repeat(51) })), {
        name: 'NotAuthorizedException',
      });
      const ok = await c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: token, ClientSecret }));
      assert.ok(ok.AuthenticationResult?.AccessToken);
    });
  });

  describe('GetUser refuses', () => {
    it('a token whose signature was tampered with: "Invalid Access Token"', async () => {
      const { tokens } = await signedIn(pool);
      const [h, p, s] = tokens.AccessToken!.split('.') as [string, string, string];
      const sig = Buffer.from(s, 'base64url');
      sig[10] = sig[10]! ^ 0x01;
      await assert.rejects(getUser(`${h}.${p}.${sig.toString('base64url')}`), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
      assert.ok((await getUser(tokens.AccessToken!)).Username, 'the untouched token still works');
    });

    it('the same token spelled non-canonically (padding, unused bits): "Invalid Access Token"', async () => {
      const { tokens } = await signedIn(pool);
      const [h, p, s] = tokens.AccessToken!.split('.') as [string, string, string];
      // 256 signature bytes leave 2 unused bits in the last character: flipping them decodes to the same bytes.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(s.at(-1)!);
      const sameBytes = `${s.slice(0, -1)}${alphabet[last ^ 0b01]}`;
      assert.deepEqual(Buffer.from(sameBytes, 'base64url'), Buffer.from(s, 'base64url'));
      for (const spelled of [`${h}.${p}.${s}==`, `${h}.${p}.${sameBytes}`, `${h}=.${p}.${s}`]) {
        await assert.rejects(getUser(spelled), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
      }
      assert.ok((await getUser(tokens.AccessToken!)).Username, 'the canonical token still works');
    });

    it('a token whose payload was changed: "Invalid Access Token"', async () => {
      const { tokens } = await signedIn(pool);
      const [h, p, s] = tokens.AccessToken!.split('.') as [string, string, string];
      const forged = b64({ ...payloadOf(tokens.AccessToken!), username: 'someone-else' });
      assert.notEqual(forged, p);
      await assert.rejects(getUser(`${h}.${forged}.${s}`), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    });

    it('another pool\'s token with its iss rewritten to this pool: "Invalid Access Token"', async () => {
      const other = await newPool();
      const { tokens } = await signedIn(other);
      const [h, , s] = tokens.AccessToken!.split('.') as [string, string, string];
      const rewritten = b64({ ...payloadOf(tokens.AccessToken!), iss: issuer(pool.poolId), client_id: pool.clientId });
      await assert.rejects(getUser(`${h}.${rewritten}.${s}`), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    });

    it('an ID token used as an access token: "Invalid Access Token"', async () => {
      const { tokens } = await signedIn(pool);
      await assert.rejects(getUser(tokens.IdToken!), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    });

    it('a token with alg "none": "Invalid Access Token"', async () => {
      const { tokens } = await signedIn(pool);
      const kid = decodeProtectedHeader(tokens.AccessToken!).kid;
      const unsigned = `${b64({ alg: 'none', kid })}.${tokens.AccessToken!.split('.')[1]}.`;
      await assert.rejects(getUser(unsigned), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    });

    it('an expired token: "Access Token has expired"', async () => {
      const { tokens } = await signedIn(pool);
      clock.advance(3600_000 + 1000);
      await assert.rejects(getUser(tokens.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has expired' });
    });

    it('the token of a disabled user: "User is disabled."', async () => {
      const { sub, tokens } = await signedIn(pool);
      await c.deps.store.users.update(sub, { enabled: false }, clock.now());
      await assert.rejects(getUser(tokens.AccessToken!), { name: 'NotAuthorizedException', message: 'User is disabled.' });
      await c.deps.store.users.update(sub, { enabled: true }, clock.now());
      assert.ok((await getUser(tokens.AccessToken!)).Username, 'enabled again, the same token works');
    });
  });

  // The signature of a string verified once is remembered (services/verified-tokens.ts); nothing else is.
  describe('GetUser with a token whose signature it has verified before', () => {
    it('still sees the family revoked (GlobalSignOut): "Access Token has been revoked"', async () => {
      const { tokens } = await signedIn(pool);
      assert.ok((await getUser(tokens.AccessToken!)).Username);
      assert.ok(c.deps.tokens.verified.get(tokens.AccessToken!, Math.floor(clock.now() / 1000)), 'the signature is remembered');
      await c.anon.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
      await assert.rejects(getUser(tokens.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    });

    it('still sees the user disabled: "User is disabled."', async () => {
      const { sub, tokens } = await signedIn(pool);
      assert.ok((await getUser(tokens.AccessToken!)).Username);
      await c.deps.store.users.update(sub, { enabled: false }, clock.now());
      await assert.rejects(getUser(tokens.AccessToken!), { name: 'NotAuthorizedException', message: 'User is disabled.' });
      await c.deps.store.users.update(sub, { enabled: true }, clock.now());
      assert.ok((await getUser(tokens.AccessToken!)).Username);
    });

    it('still refuses it once expired: "Access Token has expired"', async () => {
      const { tokens } = await signedIn(pool);
      assert.ok((await getUser(tokens.AccessToken!)).Username);
      clock.advance(3600_000 + 1000);
      await assert.rejects(getUser(tokens.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has expired' });
    });

    it('refuses it once its signing key is gone (the pool deleted): "Invalid Access Token"', async () => {
      const other = await newPool();
      const { tokens } = await signedIn(other);
      assert.ok((await getUser(tokens.AccessToken!)).Username);
      await c.admin.send(new DeleteUserPoolCommand({ UserPoolId: other.poolId }));
      await assert.rejects(getUser(tokens.AccessToken!), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    });
  });
});
