import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListUserAuthEventsCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import { addressKey } from '../src/http/protection.ts';
import { FakeClock } from '../src/services/clock.ts';
import { COGNITO_DEFAULT_QUOTAS, parseRateLimits } from '../src/services/quota-categories.ts';
import { cognateCall } from './helpers/cognate.ts';
import { rawCall } from './helpers/raw.ts';
import { createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Protection (issue 6): IP rules at server, pool and app-client level,
// X-Forwarded-For believed only from trusted proxies, and rate limits by
// client IP and by Cognito quota category, shared through the database.
// Requests come from 127.0.0.1; other client addresses are simulated with
// X-Forwarded-For through a trusted-proxy setting that trusts 127.0.0.1.

const BLOCKED = { name: 'ForbiddenException', message: 'Request not allowed due to WAF block.' };
const THROTTLED = { name: 'TooManyRequestsException', message: 'Rate exceeded' };
const PASSWORD = 'Correct-Horse-9';
const LOOPBACK = ['127.0.0.1/32', '::1/128'];

/** An unsigned SDK client whose requests carry this X-Forwarded-For. */
function from(c: Running, forwardedFor: string): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: c.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    signer: { sign: async (request) => request },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-forwarded-for'] = forwardedFor;
      return next(args);
    },
    { step: 'build', name: 'forwardedFor' },
  );
  return client;
}

async function newPool(c: Running, name = 'pool'): Promise<{ poolId: string; clientId: string }> {
  const pool = await c.admin.send(new CreateUserPoolCommand({ PoolName: name, UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }));
  const poolId = pool.UserPool!.Id!;
  const client = await c.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

const signUp = (client: CognitoIdentityProviderClient, clientId: string, username: string) =>
  client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));

async function userExists(c: Running, poolId: string, username: string): Promise<boolean> {
  try {
    await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return true;
  } catch (err) {
    if ((err as Error).name === 'UserNotFoundException') return false;
    throw err;
  }
}

describe('configuration of protection', () => {
  it('parses CIDR lists and rate limits, and reports bad entries at start', () => {
    const config = loadConfig(
      { 'trusted-proxies': '10.0.0.0/8, 2001:db8::/32', 'ip-deny': '192.0.2.7', 'rate-limits': 'cognito,UserCreation=5,UserList=0' },
      {},
    );
    assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '2001:db8::/32']);
    assert.deepEqual(config.ipDeny, ['192.0.2.7']);
    assert.equal(config.rateLimits.UserCreation, 5);
    assert.equal(config.rateLimits.UserAuthentication, COGNITO_DEFAULT_QUOTAS.UserAuthentication);
    assert.equal(config.rateLimits.UserList, undefined, 'N=0 lifts a category limit');
    assert.deepEqual(loadConfig({}, {}).rateLimits, {}, 'rate limits are off by default');
    assert.equal(loadConfig({}, {}).rateLimitPerIp, 0);
    assert.throws(
      () => loadConfig({ 'ip-allow': '10.0.0.0/33' }, {}),
      /--ip-allow \/ COGNATE_IP_ALLOW: "10\.0\.0\.0\/33" is not an IPv4 or IPv6 address or CIDR block/,
    );
    assert.throws(() => loadConfig({}, { COGNATE_TRUSTED_PROXIES: 'proxy.internal' }), /"proxy\.internal" is not an IPv4 or IPv6 address/);
    assert.throws(() => parseRateLimits('UserMagic=3'), /must be off, cognito, or Category=N pairs/);
  });

  it('counts IPv6 clients by /64 and IPv4-mapped clients as IPv4', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:0db8:0001:0002::/64');
    assert.equal(addressKey('2001:db8:1:2::ffff'), '2001:0db8:0001:0002::/64');
    assert.equal(addressKey('::1'), '0000:0000:0000:0000::/64');
    assert.equal(addressKey('::ffff:198.51.100.4'), '198.51.100.4');
    assert.equal(addressKey('198.51.100.4'), '198.51.100.4');
  });
});

describe('X-Forwarded-For and server IP rules', () => {
  let trusting: Running;
  let untrusting: Running;
  let pool: { poolId: string; clientId: string };
  before(async () => {
    // 203.0.113.0/24 and 2001:db8:bad::/48 are refused; everything else may call.
    const rules = { ipDeny: ['203.0.113.0/24', '2001:db8:bad::/48'] };
    trusting = await startCognate({ config: { ...rules, trustedProxies: LOOPBACK } });
    untrusting = await startCognate({ config: rules });
    pool = await newPool(trusting);
  });
  after(async () => {
    await trusting?.stop();
    await untrusting?.stop();
  });

  it('refuses a denied client behind a trusted proxy with ForbiddenException (HTTP 403), before any work', async () => {
    await assert.rejects(signUp(from(trusting, '203.0.113.5'), pool.clientId, 'blocked-v4'), BLOCKED);
    await assert.rejects(signUp(from(trusting, '2001:db8:bad::9'), pool.clientId, 'blocked-v6'), BLOCKED);
    assert.equal(await userExists(trusting, pool.poolId, 'blocked-v4'), false);
    assert.equal(await userExists(trusting, pool.poolId, 'blocked-v6'), false);
    // Server rules apply before the body is even read: any path, any body.
    const raw = await rawCall(trusting.url, 'SignUp', '{not json', { 'x-forwarded-for': '203.0.113.5' });
    assert.equal(raw.status, 403);
    assert.equal(raw.headers.get('x-amzn-errortype'), 'ForbiddenException');
    assert.deepEqual(raw.body, { __type: 'ForbiddenException', message: 'Request not allowed due to WAF block.' });
    const health = await fetch(`${trusting.url}/health`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    assert.equal(health.status, 403);
  });

  it('takes the right-most address no trusted proxy wrote, so a client cannot spoof its way past a deny', async () => {
    // The client claims an allowed address; the proxy appended the real one.
    await assert.rejects(signUp(from(trusting, '198.51.100.1, 203.0.113.5'), pool.clientId, 'spoofer'), BLOCKED);
    // The client claims a denied address: only the proxy-appended one counts.
    await signUp(from(trusting, '203.0.113.5, 198.51.100.1'), pool.clientId, 'honest');
    // A chain of trusted proxies is walked through (127.0.0.1 and ::1 are both trusted).
    await assert.rejects(signUp(from(trusting, '203.0.113.5, ::1, 127.0.0.1'), pool.clientId, 'chained'), BLOCKED);
    assert.equal(await userExists(trusting, pool.poolId, 'honest'), true);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const p = await newPool(untrusting);
    // Without --trusted-proxies the socket address (127.0.0.1, allowed) is the client: the header changes nothing.
    await signUp(from(untrusting, '203.0.113.5'), p.clientId, 'not-believed');
    assert.equal(await userExists(untrusting, p.poolId, 'not-believed'), true);
  });

  it('records the resolved client address in auth events', async () => {
    await trusting.admin.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'eve', MessageAction: 'SUPPRESS' }));
    await trusting.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'eve', Password: PASSWORD, Permanent: true }));
    await from(trusting, '192.0.2.44').send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'eve', PASSWORD } }),
    );
    const events = await trusting.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: 'eve' }));
    assert.equal(events.AuthEvents?.[0]?.EventContextData?.IpAddress, '192.0.2.44');
  });
});

describe('server allow list (IPv6)', () => {
  let c: Running;
  before(async () => {
    c = await startCognate({ config: { trustedProxies: LOOPBACK, ipAllow: ['2001:db8:1::/48', '127.0.0.1/32'] } });
  });
  after(async () => c?.stop());

  it('admits only addresses inside the allow list', async () => {
    const p = await newPool(c);
    await signUp(from(c, '2001:db8:1:ffff::2'), p.clientId, 'inside');
    await assert.rejects(signUp(from(c, '2001:db8:2::1'), p.clientId, 'outside-v6'), BLOCKED);
    await assert.rejects(signUp(from(c, '192.0.2.1'), p.clientId, 'outside-v4'), BLOCKED);
    // Garbage in X-Forwarded-For is no address: it matches no allow list.
    await assert.rejects(signUp(from(c, 'not-an-address'), p.clientId, 'garbage'), BLOCKED);
    assert.equal(await userExists(c, p.poolId, 'inside'), true);
    assert.equal(await userExists(c, p.poolId, 'outside-v6'), false);
  });
});

describe('pool and app-client IP rules (SetIpRules, GetIpRules)', () => {
  let c: Running;
  let pool: { poolId: string; clientId: string };
  let otherClientId: string;
  const cognate = (op: string, input: object) => cognateCall(c.url, op, input, c.credentials);
  before(async () => {
    c = await startCognate({ config: { trustedProxies: LOOPBACK } });
    pool = await newPool(c);
    const other = await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'other' }));
    otherClientId = other.UserPoolClient!.ClientId!;
  });
  after(async () => c?.stop());

  it('stores and returns the lists of a pool and of a client', async () => {
    const empty = await cognate('GetIpRules', { UserPoolId: pool.poolId });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { UserPoolId: pool.poolId, AllowCidrs: [], DenyCidrs: [] });

    const set = await cognate('SetIpRules', { UserPoolId: pool.poolId, DenyCidrs: ['198.51.100.0/24', '2001:db8:dead::/48'] });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { UserPoolId: pool.poolId, AllowCidrs: [], DenyCidrs: ['198.51.100.0/24', '2001:db8:dead::/48'] });
    const onClient = await cognate('SetIpRules', { UserPoolId: pool.poolId, ClientId: pool.clientId, AllowCidrs: ['192.0.2.0/24', '2001:db8:1::/48'] });
    assert.equal(onClient.status, 200);
    const got = await cognate('GetIpRules', { UserPoolId: pool.poolId, ClientId: pool.clientId });
    assert.deepEqual(got.body, { UserPoolId: pool.poolId, ClientId: pool.clientId, AllowCidrs: ['192.0.2.0/24', '2001:db8:1::/48'], DenyCidrs: [] });
  });

  it('refuses a denied address on every public operation of the pool, and writes nothing', async () => {
    await assert.rejects(signUp(from(c, '198.51.100.20'), otherClientId, 'pool-denied'), BLOCKED);
    await assert.rejects(signUp(from(c, '2001:db8:dead::1'), otherClientId, 'pool-denied-v6'), BLOCKED);
    assert.equal(await userExists(c, pool.poolId, 'pool-denied'), false);
    await signUp(from(c, '203.0.113.9'), otherClientId, 'pool-allowed');
  });

  it('applies a client allow list to that client only', async () => {
    await assert.rejects(signUp(from(c, '203.0.113.9'), pool.clientId, 'client-outside'), BLOCKED);
    await signUp(from(c, '2001:db8:1::77'), pool.clientId, 'client-inside-v6');
    await signUp(from(c, '192.0.2.8'), pool.clientId, 'client-inside-v4');
    // Pool rules still apply to the client: deny wins.
    await assert.rejects(signUp(from(c, '198.51.100.20'), pool.clientId, 'both'), BLOCKED);
    assert.equal(await userExists(c, pool.poolId, 'client-outside'), false);
  });

  it('applies to access-token operations through the token’s client', async () => {
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'tok', MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'tok', Password: PASSWORD, Permanent: true }));
    const auth = await from(c, '192.0.2.8').send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'tok', PASSWORD } }),
    );
    const AccessToken = auth.AuthenticationResult!.AccessToken!;
    const me = await from(c, '192.0.2.8').send(new GetUserCommand({ AccessToken }));
    assert.equal(me.Username, 'tok');
    await assert.rejects(from(c, '203.0.113.9').send(new GetUserCommand({ AccessToken })), BLOCKED);
  });

  it('leaves operator calls to the server lists and key policies, as a web ACL leaves IAM-signed calls', async () => {
    const signed = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: c.url, maxAttempts: 1, credentials: c.credentials });
    signed.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-forwarded-for'] = '198.51.100.20';
        return next(args);
      },
      { step: 'build', name: 'forwardedFor' },
    );
    const listed = await signed.send(new ListUsersCommand({ UserPoolId: pool.poolId }));
    assert.ok(listed.Users!.length > 0);
    signed.destroy();
  });

  it('answers bad input with Cognito-shaped errors and changes nothing', async () => {
    const bad = await cognate('SetIpRules', { UserPoolId: pool.poolId, DenyCidrs: ['10.0.0.0/8', '10.0.0.300'] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { __type: 'InvalidParameterException', message: 'DenyCidrs entry "10.0.0.300" is not an IPv4 or IPv6 address or CIDR block.' });
    const notList = await cognate('SetIpRules', { UserPoolId: pool.poolId, DenyCidrs: '10.0.0.0/8' });
    assert.deepEqual(notList.body, { __type: 'SerializationException', message: 'STRING_VALUE can not be converted to a Collection' });
    const tooMany = await cognate('SetIpRules', { UserPoolId: pool.poolId, AllowCidrs: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`) });
    assert.equal(tooMany.body['__type'], 'InvalidParameterException');
    const unknownClient = await cognate('SetIpRules', { UserPoolId: pool.poolId, ClientId: 'nosuchclient', DenyCidrs: ['10.0.0.0/8'] });
    assert.deepEqual(unknownClient.body, { __type: 'ResourceNotFoundException', message: 'User pool client nosuchclient does not exist.' });
    const unknownPool = await cognate('GetIpRules', { UserPoolId: 'us-east-1_NoSuchPoo' });
    assert.deepEqual(unknownPool.body, { __type: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPoo does not exist.' });
    const unsigned = await cognateCall(c.url, 'SetIpRules', { UserPoolId: pool.poolId }, null);
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.body['__type'], 'MissingAuthenticationTokenException');
    const still = await cognate('GetIpRules', { UserPoolId: pool.poolId });
    assert.deepEqual(still.body['DenyCidrs'], ['198.51.100.0/24', '2001:db8:dead::/48']);
  });

  it('removes the rules when both lists are emptied', async () => {
    const cleared = await cognate('SetIpRules', { UserPoolId: pool.poolId, AllowCidrs: [], DenyCidrs: [] });
    assert.equal(cleared.status, 200);
    await cognate('SetIpRules', { UserPoolId: pool.poolId, ClientId: pool.clientId });
    await signUp(from(c, '198.51.100.20'), pool.clientId, 'after-clear');
    assert.deepEqual((await cognate('GetIpRules', { UserPoolId: pool.poolId })).body, { UserPoolId: pool.poolId, AllowCidrs: [], DenyCidrs: [] });
  });
});

describe('rate limits', () => {
  it('limits a quota category per pool, and recovers when the window moves on', async () => {
    const clock = new FakeClock(Date.now());
    const c = await startCognate({ clock, config: { rateLimits: parseRateLimits('UserCreation=3') } });
    try {
      const a = await newPool(c, 'a');
      const b = await newPool(c, 'b');
      for (const name of ['u1', 'u2', 'u3']) await signUp(c.anon, a.clientId, name);
      await assert.rejects(signUp(c.anon, a.clientId, 'u4'), THROTTLED);
      // AdminCreateUser is in UserCreation too; the throttled call wrote nothing.
      await assert.rejects(c.admin.send(new AdminCreateUserCommand({ UserPoolId: a.poolId, Username: 'u5', MessageAction: 'SUPPRESS' })), THROTTLED);
      assert.equal(await userExists(c, a.poolId, 'u4'), false);
      // Another category of the same pool, and the same category of another pool, are untouched.
      const listed = await c.admin.send(new ListUsersCommand({ UserPoolId: a.poolId }));
      assert.equal(listed.Users!.length, 3);
      await signUp(c.anon, b.clientId, 'other-pool');

      const raw = await rawCall(c.url, 'SignUp', JSON.stringify({ ClientId: a.clientId, Username: 'u6', Password: PASSWORD }));
      assert.equal(raw.status, 400);
      assert.deepEqual(raw.body, { __type: 'TooManyRequestsException', message: 'Rate exceeded' });

      clock.advance(1000);
      await signUp(c.anon, a.clientId, 'u4');
      assert.equal(await userExists(c, a.poolId, 'u4'), true);
    } finally {
      await c.stop();
    }
  });

  it('gives challenge answers three times the sign-in budget, counted apart', async () => {
    const clock = new FakeClock(Date.now());
    const c = await startCognate({ clock, config: { rateLimits: parseRateLimits('UserAuthentication=1') } });
    try {
      const p = await newPool(c);
      const respond = () =>
        rawCall(
          c.url,
          'RespondToAuthChallenge',
          JSON.stringify({ ClientId: p.clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'x'.repeat(40), ChallengeResponses: { USERNAME: 'x' } }),
        );
      for (let i = 0; i < 3; i++) assert.notEqual((await respond()).body['__type'], 'TooManyRequestsException');
      assert.equal((await respond()).body['__type'], 'TooManyRequestsException');
      // InitiateAuth has its own budget of 1.
      const init = () =>
        c.anon.send(new InitiateAuthCommand({ ClientId: p.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD } }));
      await assert.rejects(init(), (err: Error) => err.name !== 'TooManyRequestsException');
      await assert.rejects(init(), THROTTLED);
    } finally {
      await c.stop();
    }
  });

  it('limits each client IP across all operations, an IPv6 /64 as one client', async () => {
    const clock = new FakeClock(Date.now());
    const c = await startCognate({ clock, config: { trustedProxies: LOOPBACK, rateLimitPerIp: 3, rateLimitWindowSeconds: 60 } });
    try {
      // A pool's JWKS: any request counts, not only API calls.
      const poolId = await createPool(c);
      const health = (ip: string) => fetch(`${c.url}/${poolId}/.well-known/jwks.json`, { headers: { 'x-forwarded-for': ip } }).then((r) => r.status);
      assert.deepEqual([await health('192.0.2.1'), await health('192.0.2.1'), await health('192.0.2.1')], [200, 200, 200]);
      const throttled = await rawCall(c.url, 'SignUp', '{}', { 'x-forwarded-for': '192.0.2.1' });
      assert.equal(throttled.status, 400);
      assert.deepEqual(throttled.body, { __type: 'TooManyRequestsException', message: 'Rate exceeded' });
      // Load-balancer probes are not callers: never counted, never refused by the limit (and never a database write).
      for (const probe of ['/health', '/ready']) assert.equal((await fetch(`${c.url}${probe}`, { headers: { 'x-forwarded-for': '192.0.2.1' } })).status, 200);
      assert.equal(await health('192.0.2.2'), 200, 'another address has its own budget');

      assert.deepEqual([await health('2001:db8:0:1::1'), await health('2001:db8:0:1::2'), await health('2001:db8:0:1:ffff::3')], [200, 200, 200]);
      assert.equal(await health('2001:db8:0:1::4'), 400, 'the same /64 shares one budget');
      assert.equal(await health('2001:db8:0:2::1'), 200);

      clock.advance(59_000);
      assert.equal(await health('192.0.2.1'), 400, 'still inside the window');
      clock.advance(1_000);
      assert.equal(await health('192.0.2.1'), 200, 'a new window starts afresh');
    } finally {
      await c.stop();
    }
  });

  it('shares the counters and IP rules between two servers on one database', async () => {
    const clock = new FakeClock(Date.now());
    const first = await startCognate({ clock, config: { rateLimits: parseRateLimits('UserCreation=2') } });
    // A second node: same database and data directory (so the same master key), its own process state.
    const config: Config = { ...first.deps.config, port: 0 };
    const second = await buildApp(config, { clock });
    const secondUrl = (await second.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
    const secondClient = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: secondUrl,
      maxAttempts: 1,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      signer: { sign: async (request) => request },
    });
    try {
      const p = await newPool(first);
      await signUp(first.anon, p.clientId, 'n1');
      await signUp(secondClient, p.clientId, 'n2');
      await assert.rejects(signUp(first.anon, p.clientId, 'n3'), THROTTLED);
      await assert.rejects(signUp(secondClient, p.clientId, 'n3'), THROTTLED);
      clock.advance(1000);
      await signUp(secondClient, p.clientId, 'n3');
      assert.equal(await userExists(first, p.poolId, 'n3'), true);

      // IP rules set through one node hold on the other within a second.
      const set = await cognateCall(first.url, 'SetIpRules', { UserPoolId: p.poolId, DenyCidrs: ['127.0.0.0/8', '::1/128'] }, first.credentials, {
        date: new Date(clock.now()),
      });
      assert.equal(set.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      clock.advance(1000);
      await assert.rejects(signUp(secondClient, p.clientId, 'n4'), BLOCKED);
    } finally {
      secondClient.destroy();
      await second.app.close();
      await first.stop();
    }
  });
});
