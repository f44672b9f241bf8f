import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminInitiateAuthCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createClient, createConfirmedUser, createPool, PASSWORD } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Refresh-token rotation (RefreshTokenRotation on the app client), driven
// through the real SDK with a fake clock for the grace period.

const clock = new FakeClock(Date.now());
let c: Running;
let poolId: string;
let seq = 0;

const revoked = { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' };
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

async function newClient(
  rotation?: { Feature: 'ENABLED' | 'DISABLED'; RetryGracePeriodSeconds?: number },
  extra: { RefreshTokenValidity?: number } = {},
): Promise<string> {
  const { clientId } = await createClient(c, poolId, {
    ClientName: `rot-${++seq}`,
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ...(rotation ? { RefreshTokenRotation: rotation } : {}),
    ...(extra.RefreshTokenValidity ? { RefreshTokenValidity: extra.RefreshTokenValidity, TokenValidityUnits: { RefreshToken: 'hours' } } : {}),
  });
  return clientId;
}

/** A fresh confirmed user signed in on `clientId`: the family's first tokens. */
async function signIn(clientId: string): Promise<AuthenticationResultType> {
  const username = `rot-user-${++seq}`;
  await createConfirmedUser(c, poolId, username);
  const out = await c.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  return out.AuthenticationResult!;
}

const refresh = (clientId: string, token: string) => c.anon.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token }));
const getUser = (accessToken: string) => c.anon.send(new GetUserCommand({ AccessToken: accessToken }));

describe('refresh-token rotation', () => {
  before(async () => {
    c = await startCognate({ clock });
    poolId = await createPool(c, { PoolName: 'rotation' });
  });
  after(() => c.stop());

  it('GetTokensFromRefreshToken › with rotation ENABLED returns a new refresh token in the same family, and the new one works in turn', async () => {
    const clientId = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
    const first = await signIn(clientId);
    const second = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
    assert.ok(second.RefreshToken);
    assert.notEqual(second.RefreshToken, first.RefreshToken);
    assert.equal(payloadOf(second.AccessToken!)['origin_jti'], payloadOf(first.AccessToken!)['origin_jti']);
    assert.equal(payloadOf(second.AccessToken!)['auth_time'], payloadOf(first.AccessToken!)['auth_time']);
    const third = (await refresh(clientId, second.RefreshToken!)).AuthenticationResult!;
    assert.ok(third.RefreshToken);
    assert.notEqual(third.RefreshToken, second.RefreshToken);
    assert.ok((await getUser(third.AccessToken!)).Username);
  });

  it('GetTokensFromRefreshToken › without rotation returns no refresh token and the same token keeps working', async () => {
    const clientId = await newClient({ Feature: 'DISABLED' });
    const first = await signIn(clientId);
    for (let i = 0; i < 2; i++) {
      const out = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
      assert.equal(out.RefreshToken, undefined);
      assert.ok(out.AccessToken);
    }
  });

  it('grace period 0 › reusing a replaced token revokes the whole family: its refresh tokens and its access tokens', async () => {
    const clientId = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
    const first = await signIn(clientId);
    const second = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
    assert.ok((await getUser(second.AccessToken!)).Username);
    await assert.rejects(refresh(clientId, first.RefreshToken!), revoked);
    // The live descendant dies with the family, and so do access tokens minted in it, at once.
    await assert.rejects(refresh(clientId, second.RefreshToken!), revoked);
    await assert.rejects(getUser(second.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    await assert.rejects(getUser(first.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  it('grace period › a retry within it gets the same successor back; after it, reuse revokes the family', async () => {
    const clientId = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 30 });
    const first = await signIn(clientId);
    const second = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
    clock.advance(29_000);
    const retry = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
    assert.equal(retry.RefreshToken, second.RefreshToken, 'a retry must not fork the family');
    assert.notEqual(retry.AccessToken, second.AccessToken);
    clock.advance(2_000);
    await assert.rejects(refresh(clientId, first.RefreshToken!), revoked);
    await assert.rejects(refresh(clientId, second.RefreshToken!), revoked);
    await assert.rejects(getUser(retry.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  it('grace period › a token two generations old is reuse even inside the grace period', async () => {
    const clientId = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 60 });
    const first = await signIn(clientId);
    const second = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
    const third = (await refresh(clientId, second.RefreshToken!)).AuthenticationResult!;
    await assert.rejects(refresh(clientId, first.RefreshToken!), revoked);
    await assert.rejects(refresh(clientId, third.RefreshToken!), revoked);
  });

  it('concurrency › simultaneous uses of one token within a grace period all get the same single successor', async () => {
    const clientId = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
    const first = await signIn(clientId);
    const results = await Promise.all(Array.from({ length: 6 }, () => refresh(clientId, first.RefreshToken!)));
    const successors = new Set(results.map((r) => r.AuthenticationResult!.RefreshToken));
    assert.equal(successors.size, 1);
    const [successor] = [...successors];
    assert.ok((await refresh(clientId, successor!)).AuthenticationResult!.RefreshToken);
  });

  it('concurrency › with no grace period, simultaneous uses rotate once and the rest count as reuse', async () => {
    const clientId = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
    const first = await signIn(clientId);
    const settled = await Promise.allSettled(Array.from({ length: 6 }, () => refresh(clientId, first.RefreshToken!)));
    const won = settled.filter((s) => s.status === 'fulfilled');
    assert.equal(won.length, 1, 'exactly one request may rotate the token');
    for (const s of settled) if (s.status === 'rejected') assert.equal((s.reason as Error).message, 'Refresh Token has been revoked');
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof refresh>>>).value.AuthenticationResult!;
    await assert.rejects(refresh(clientId, winner.RefreshToken!), revoked);
  });

  it('InitiateAuth › REFRESH_TOKEN_AUTH is refused on a client with rotation enabled', async () => {
    const clientId = await newClient({ Feature: 'ENABLED' });
    const first = await signIn(clientId);
    await assert.rejects(
      c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } })),
      { name: 'NotAuthorizedException', message: 'Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken.' },
    );
  });

  it('RevokeToken › a token issued by rotation revokes its family', async () => {
    const clientId = await newClient({ Feature: 'ENABLED' });
    const first = await signIn(clientId);
    const second = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
    await c.anon.send(new RevokeTokenCommand({ ClientId: clientId, Token: second.RefreshToken! }));
    await assert.rejects(refresh(clientId, second.RefreshToken!), revoked);
    await assert.rejects(getUser(second.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  it('lifetime › rotation does not extend the session: a rotated token expires with the sign-in', async () => {
    const clientId = await newClient({ Feature: 'ENABLED' }, { RefreshTokenValidity: 1 });
    const first = await signIn(clientId);
    clock.advance(30 * 60_000);
    const second = (await refresh(clientId, first.RefreshToken!)).AuthenticationResult!;
    clock.advance(31 * 60_000);
    await assert.rejects(refresh(clientId, second.RefreshToken!), { name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
  });

  it('another client › cannot use a token issued by rotation', async () => {
    const rotating = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 60 });
    const first = await signIn(rotating);
    const second = (await refresh(rotating, first.RefreshToken!)).AuthenticationResult!;
    const plain = await newClient();
    await assert.rejects(refresh(plain, second.RefreshToken!), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
  });
});
