import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateAuthEventFeedbackCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeRiskConfigurationCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  UpdateAuthEventFeedbackCommand,
  type AuthEventType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import * as srp from '../src/crypto/srp.ts';
import { deviceName, feedbackToken } from '../src/services/auth-events.ts';
import { FakeClock } from '../src/services/clock.ts';
import { AUTH_EVENTS_PER_USER } from '../src/store/events.ts';
import { claim, largeA, newHelper, passwordKey, poolNameOf } from './helpers/srp-client.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const CHROME_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

describe('auth event history: AdminListUserAuthEvents, feedback, risk configuration', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  /** Public calls as a browser makes them: its own User-Agent header. */
  let browser: CognitoIdentityProviderClient;
  before(async () => {
    c = await startCognate({ clock });
    browser = new CognitoIdentityProviderClient({
      region: c.deps.config.region,
      endpoint: c.url,
      maxAttempts: 1,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      signer: { sign: async (request) => request },
    });
    browser.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers['user-agent'] = CHROME_ON_WINDOWS;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'browserUserAgent' },
    );
  });
  after(async () => {
    browser.destroy();
    await c.stop();
  });

  let n = 0;
  const email = (tag: string) => `${tag}-${++n}@example.com`;
  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) => {
    const poolId = (
      await c.admin.send(
        new CreateUserPoolCommand({ PoolName: 'pool', AutoVerifiedAttributes: ['email'], UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' }, ...input }),
      )
    ).UserPool!.Id!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    return { poolId, clientId: client.UserPoolClient!.ClientId! };
  };
  const newUser = async (poolId: string, username: string, address = email(username)) => {
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: attrs({ email: address, email_verified: 'true' }),
        MessageAction: 'SUPPRESS',
      }),
    );
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    return address;
  };
  const signIn = (clientId: string, username: string, password = PASSWORD) =>
    browser.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const events = async (poolId: string, username: string, more: { MaxResults?: number; NextToken?: string } = {}) =>
    c.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username, ...more }));
  const summary = (list: AuthEventType[] | undefined) =>
    (list ?? []).map((e) =>
      [e.EventType, e.EventResponse, (e.ChallengeResponses ?? []).map((r) => `${r.ChallengeName}:${r.ChallengeResponse}`).join(',')].join(' '),
    );

  it('records failed and successful sign-ins, newest first, with source IP, device name, challenge outcomes and risk', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'ana');
    await assert.rejects(signIn(clientId, 'ana', 'Wr0ng-pass!'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    clock.advance(1000);
    const t0 = clock.now();
    await signIn(clientId, 'ana');
    const out = await events(poolId, 'ana');
    assert.deepEqual(summary(out.AuthEvents), ['SignIn Pass Password:Success', 'SignIn Fail Password:Failure']);
    const [latest, earlier] = out.AuthEvents!;
    assert.equal(latest!.CreationDate!.getTime(), t0);
    assert.ok(latest!.CreationDate! > earlier!.CreationDate!);
    assert.match(latest!.EventId!, /^[0-9a-f-]{36}$/);
    assert.notEqual(latest!.EventId, earlier!.EventId);
    assert.deepEqual(latest!.EventContextData, { IpAddress: '127.0.0.1', DeviceName: 'Chrome 120, Windows' });
    assert.deepEqual(latest!.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false });
    assert.equal(latest!.EventFeedback, undefined);
    assert.equal(out.NextToken, undefined);
  });

  it('records a refused sign-in before any password check (locked account) as a failure without a challenge', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'lou');
    for (let i = 0; i < 5; i++) await assert.rejects(signIn(clientId, 'lou', 'Wr0ng-pass!'), { name: 'NotAuthorizedException' });
    await assert.rejects(signIn(clientId, 'lou'), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    const list = summary((await events(poolId, 'lou')).AuthEvents);
    assert.equal(list.length, 6);
    assert.equal(list[0], 'SignIn Fail ');
    assert.ok(list.slice(1).every((e) => e === 'SignIn Fail Password:Failure'));
  });

  it('records SRP sign-ins once (at the PASSWORD_VERIFIER answer), and AdminInitiateAuth with the operator call context', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'sid');
    const helper = newHelper(poolNameOf(poolId));
    const A = await largeA(helper);
    const first = await browser.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sid', SRP_A: A.toString(16) } }),
    );
    const p = first.ChallengeParameters!;
    const key = await passwordKey(helper, p['USER_ID_FOR_SRP']!, PASSWORD, p['SRP_B']!, p['SALT']!);
    const timestamp = srp.formatTimestamp(clock.now());
    const done = await browser.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: p['USER_ID_FOR_SRP']!,
          PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
          TIMESTAMP: timestamp,
          PASSWORD_CLAIM_SIGNATURE: claim(key, poolNameOf(poolId), p['USER_ID_FOR_SRP']!, p['SECRET_BLOCK']!, timestamp),
        },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    clock.advance(1000);
    await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'sid', PASSWORD: PASSWORD },
      }),
    );
    const list = (await events(poolId, 'sid')).AuthEvents!;
    assert.deepEqual(summary(list), ['SignIn Pass Password:Success', 'SignIn Pass Password:Success']);
    assert.match(list[0]!.EventContextData!.DeviceName!, /^aws-sdk-js 3, /, 'the operator call came from the SDK');
    assert.equal(list[1]!.EventContextData!.DeviceName, 'Chrome 120, Windows');
  });

  it('records a sign-in that continues with a challenge as InProgress', async () => {
    const { poolId, clientId } = await newPool();
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ned', TemporaryPassword: 'Temp0rary!x', MessageAction: 'SUPPRESS' }));
    const out = await signIn(clientId, 'ned', 'Temp0rary!x');
    assert.equal(out.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.deepEqual(summary((await events(poolId, 'ned')).AuthEvents), ['SignIn InProgress Password:Success']);
  });

  it('records SignUp, ResendCode, ForgotPassword and PasswordChange (wrong and right previous password)', async () => {
    const { poolId, clientId } = await newPool();
    const address = email('flow');
    await browser.send(new SignUpCommand({ ClientId: clientId, Username: 'fay', Password: PASSWORD, UserAttributes: attrs({ email: address }) }));
    clock.advance(1000);
    await browser.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'fay' }));
    clock.advance(1000);
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'fay', Password: PASSWORD, Permanent: true }));
    const token = (await signIn(clientId, 'fay')).AuthenticationResult!.AccessToken!;
    clock.advance(1000);
    await assert.rejects(browser.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wr0ng-pass!', ProposedPassword: 'N3w-Passw0rd!' })), {
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    clock.advance(1000);
    await browser.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: 'N3w-Passw0rd!' }));
    clock.advance(1000);
    // Forgot-password needs a verified contact: unverified here, so the attempt fails and is recorded as such.
    await assert.rejects(browser.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'fay' })), { name: 'InvalidParameterException' });
    assert.deepEqual(summary((await events(poolId, 'fay')).AuthEvents), [
      'ForgotPassword Fail ',
      'PasswordChange Pass Password:Success',
      'PasswordChange Fail Password:Failure',
      'SignIn Pass Password:Success',
      'ResendCode Pass ',
      'SignUp Pass ',
    ]);
    const verified = await newPool();
    const mail = await newUser(verified.poolId, 'gia');
    await browser.send(new ForgotPasswordCommand({ ClientId: verified.clientId, Username: 'gia' }));
    await c.inbox.nextCode(mail);
    assert.deepEqual(summary((await events(verified.poolId, 'gia')).AuthEvents), ['ForgotPassword Pass ']);
  });

  it('records nothing for a sign-up that failed (no user) and for unknown users', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'taken');
    await assert.rejects(browser.send(new SignUpCommand({ ClientId: clientId, Username: 'taken', Password: PASSWORD })), { name: 'UsernameExistsException' });
    await assert.rejects(signIn(clientId, 'ghost'), { name: 'UserNotFoundException' });
    assert.deepEqual(summary((await events(poolId, 'taken')).AuthEvents), []);
  });

  it('pages with MaxResults and a sealed NextToken bound to the user', async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'pam');
    await newUser(poolId, 'pip');
    for (let i = 0; i < 5; i++) {
      // Same millisecond on purpose: the order still holds.
      await signIn(clientId, 'pam', i % 2 ? PASSWORD : 'Wr0ng-pass!').catch(() => undefined);
    }
    const all = (await events(poolId, 'pam')).AuthEvents!;
    assert.deepEqual(summary(all), [
      'SignIn Fail Password:Failure',
      'SignIn Pass Password:Success',
      'SignIn Fail Password:Failure',
      'SignIn Pass Password:Success',
      'SignIn Fail Password:Failure',
    ]);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await events(poolId, 'pam', { MaxResults: 2, ...(token ? { NextToken: token } : {}) });
      assert.ok(page.AuthEvents!.length <= 2);
      seen.push(...page.AuthEvents!.map((e) => e.EventId!));
      token = page.NextToken;
      pages++;
      if (pages === 1) {
        assert.ok(token);
        await assert.rejects(events(poolId, 'pip', { NextToken: token }), { name: 'InvalidParameterException', message: 'Invalid pagination token.' });
        await assert.rejects(events(poolId, 'pam', { NextToken: `${token.slice(0, -2)}AA` }), {
          name: 'InvalidParameterException',
          message: 'Invalid pagination token.',
        });
      }
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      all.map((e) => e.EventId),
    );
    assert.equal((await events(poolId, 'pam', { MaxResults: 0 })).AuthEvents!.length, 5, 'MaxResults 0 means the default page of 60');
  });

  it(`keeps only the newest ${AUTH_EVENTS_PER_USER} events per user`, async () => {
    const { poolId, clientId } = await newPool();
    await newUser(poolId, 'kim');
    const sub = (await c.deps.store.users.byUsername(poolId, 'kim'))!.sub;
    for (let i = 0; i < AUTH_EVENTS_PER_USER + 5; i++) {
      await c.deps.store.events.append({
        event_id: `bulk-${i}`,
        pool_id: poolId,
        sub,
        event_type: 'SignIn',
        event_response: 'Fail',
        challenge_responses: '[]',
        ip_address: '10.0.0.1',
        device_name: 'Other, Other',
        created_at: clock.now(),
      });
    }
    await signIn(clientId, 'kim');
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await events(poolId, 'kim', { ...(token ? { NextToken: token } : {}) });
      ids.push(...page.AuthEvents!.map((e) => e.EventId!));
      token = page.NextToken;
    } while (token);
    assert.equal(ids.length, AUTH_EVENTS_PER_USER);
    assert.notEqual(ids[0]!.startsWith('bulk-'), true, 'the newest (real) sign-in is first');
    assert.equal(ids[ids.length - 1], 'bulk-6', 'the oldest six are gone');
  });

  it('needs threat protection (UserPoolAddOns) on the pool, and knows its users and pools', async () => {
    const off = await newPool({ UserPoolAddOns: { AdvancedSecurityMode: 'OFF' } });
    await newUser(off.poolId, 'olga');
    await assert.rejects(events(off.poolId, 'olga'), {
      name: 'UserPoolAddOnNotEnabledException',
      message: `Threat protection (UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for user pool ${off.poolId}.`,
    });
    const on = await newPool();
    await assert.rejects(events(on.poolId, 'nobody'), { name: 'UserNotFoundException', message: 'User does not exist.' });
    const missing = `${c.deps.config.region}_Missing00`;
    await assert.rejects(events(missing, 'x'), { name: 'ResourceNotFoundException', message: `User pool ${missing} does not exist.` });
  });

  describe('feedback', () => {
    it('AdminUpdateAuthEventFeedback stores Valid/Invalid on the event, Provider Admin', async () => {
      const { poolId, clientId } = await newPool();
      await newUser(poolId, 'fred');
      await signIn(clientId, 'fred');
      const [event] = (await events(poolId, 'fred')).AuthEvents!;
      clock.advance(5000);
      await c.admin.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fred', EventId: event!.EventId!, FeedbackValue: 'Invalid' }));
      const [after] = (await events(poolId, 'fred')).AuthEvents!;
      assert.equal(after!.EventFeedback!.FeedbackValue, 'Invalid');
      assert.equal(after!.EventFeedback!.Provider, 'Admin');
      assert.equal(after!.EventFeedback!.FeedbackDate!.getTime(), clock.now());
      await assert.rejects(
        c.admin.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fred', EventId: 'no-such-event', FeedbackValue: 'Valid' })),
        { name: 'ResourceNotFoundException', message: 'Auth event not found.' },
      );
    });

    it("UpdateAuthEventFeedback takes the event's FeedbackToken and nothing forged or borrowed", async () => {
      const { poolId, clientId } = await newPool();
      await newUser(poolId, 'una');
      await newUser(poolId, 'ola');
      await signIn(clientId, 'una');
      await signIn(clientId, 'ola');
      const [event] = (await events(poolId, 'una')).AuthEvents!;
      const [other] = (await events(poolId, 'ola')).AuthEvents!;
      const sub = (await c.deps.store.users.byUsername(poolId, 'una'))!.sub;
      const good = feedbackToken(c.deps.master, poolId, sub, event!.EventId!);
      const send = (Username: string, EventId: string, FeedbackToken: string) =>
        browser.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username, EventId, FeedbackToken, FeedbackValue: 'Valid' }));
      const refused = { name: 'NotAuthorizedException', message: 'Invalid feedback token.' };
      await assert.rejects(send('una', event!.EventId!, `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`), refused);
      await assert.rejects(send('una', other!.EventId!, good), refused, 'a token names one event');
      await assert.rejects(send('ola', event!.EventId!, good), refused, 'and one user');
      await assert.rejects(send('nobody', event!.EventId!, good), refused, 'an unknown user looks the same');
      assert.equal((await events(poolId, 'una')).AuthEvents![0]!.EventFeedback, undefined);
      await send('una', event!.EventId!, good);
      const [after] = (await events(poolId, 'una')).AuthEvents!;
      assert.equal(after!.EventFeedback!.FeedbackValue, 'Valid');
      assert.equal(after!.EventFeedback!.Provider, 'User');
    });
  });

  describe('risk configuration (stored, not enforced)', () => {
    it('SetRiskConfiguration stores the pool and client configurations; Describe falls back from client to pool', async () => {
      const { poolId, clientId } = await newPool();
      assert.deepEqual((await c.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration, { UserPoolId: poolId });
      const set = await c.admin.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN'], Actions: { EventAction: 'BLOCK' } },
          RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'], SkippedIPRangeList: ['2001:db8::/32'] },
        }),
      );
      assert.equal(set.RiskConfiguration!.UserPoolId, poolId);
      const pool = (await c.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration!;
      assert.deepEqual(pool.CompromisedCredentialsRiskConfiguration, { EventFilter: ['SIGN_IN'], Actions: { EventAction: 'BLOCK' } });
      assert.deepEqual(pool.RiskExceptionConfiguration, { BlockedIPRangeList: ['192.0.2.0/24'], SkippedIPRangeList: ['2001:db8::/32'] });
      assert.equal(pool.LastModifiedDate!.getTime(), Math.floor(clock.now() / 1000) * 1000);
      const viaClient = (await c.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration!;
      assert.equal(viaClient.ClientId, clientId);
      assert.deepEqual(viaClient.CompromisedCredentialsRiskConfiguration, pool.CompromisedCredentialsRiskConfiguration);
      await c.admin.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AccountTakeoverRiskConfiguration: { Actions: { HighAction: { Notify: false, EventAction: 'BLOCK' } } },
        }),
      );
      const own = (await c.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration!;
      assert.deepEqual(own.AccountTakeoverRiskConfiguration, { Actions: { HighAction: { Notify: false, EventAction: 'BLOCK' } } });
      assert.equal(own.CompromisedCredentialsRiskConfiguration, undefined);
      // Not enforced: a sign-in from a "blocked" range still passes.
      await newUser(poolId, 'bo');
      assert.ok((await signIn(clientId, 'bo')).AuthenticationResult?.AccessToken);
    });

    it('refuses ranges that are not CIDR, notifying without a NotifyConfiguration, unknown clients and pools without the add-on', async () => {
      const { poolId } = await newPool();
      await assert.rejects(
        c.admin.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.300/8'] } })),
        {
          name: 'InvalidParameterException',
          message: 'Invalid IP range 10.0.0.300/8. IP ranges must be in CIDR notation.',
        },
      );
      await assert.rejects(
        c.admin.send(
          new SetRiskConfigurationCommand({
            UserPoolId: poolId,
            AccountTakeoverRiskConfiguration: { Actions: { LowAction: { Notify: true, EventAction: 'NO_ACTION' } } },
          }),
        ),
        { name: 'InvalidParameterException', message: 'NotifyConfiguration is required when an account takeover action notifies users.' },
      );
      await assert.rejects(c.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient00000000000000' })), {
        name: 'ResourceNotFoundException',
        message: 'User pool client nosuchclient00000000000000 does not exist.',
      });
      assert.deepEqual(
        (await c.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration,
        { UserPoolId: poolId },
        'nothing was stored',
      );
      const off = await newPool({ UserPoolAddOns: { AdvancedSecurityMode: 'OFF' } });
      await assert.rejects(c.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: off.poolId })), { name: 'UserPoolAddOnNotEnabledException' });
    });
  });

  it('derives device names from user agents without storing the header', () => {
    assert.equal(deviceName(CHROME_ON_WINDOWS), 'Chrome 120, Windows');
    assert.equal(
      deviceName('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15'),
      'Safari 17, Mac OS X',
    );
    assert.equal(deviceName('Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'), 'Firefox 121, Linux');
    assert.equal(deviceName('aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64'), 'aws-cli 2, Linux');
    assert.equal(deviceName('curl/8.5.0'), 'curl 8, Other');
    assert.equal(deviceName(''), 'Other, Other');
  });
});
