import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import * as identity from 'amazon-cognito-identity-js';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import * as srp from '../src/crypto/srp.ts';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { big, claim, largeA, newHelper, passwordKey, poolNameOf, type AuthenticationHelper } from './helpers/srp-client.ts';

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w!Passw0rd';
const WRONG = 'Wr0ng!pass';
const MINUTE = 60_000;

const hex = (n: bigint) => n.toString(16);
const toBig = (h: string) => BigInt(`0x${h}`);
const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const secretHash = (secret: string, username: string, clientId: string) =>
  createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const locked = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };

describe('SRP math › the same values as amazon-cognito-identity-js', () => {
  const helper = newHelper('abcDEF123');

  it('uses the same N, g and k', () => {
    assert.equal(helper.N.toString(16), hex(srp.N));
    assert.equal(helper.g.toString(16), hex(srp.g));
    assert.equal(helper.k.toString(16), hex(srp.k));
  });

  it('pads hex the same way, with 00 before a set top bit', () => {
    const values = [
      '1',
      'f',
      '7f',
      '80',
      'ff',
      '100',
      '8000',
      hex(srp.N),
      ...Array.from({ length: 20 }, () => randomBytes(1 + (randomBytes(1)[0]! % 64)).toString('hex')),
    ];
    for (const v of values) assert.equal(srp.padHex(toBig(v)), helper.padHex(big(helper, v)), v);
  });

  it('computes the same u from A and B', () => {
    for (let i = 0; i < 5; i++) {
      const A = toBig(randomBytes(384).toString('hex')) % srp.N;
      const B = toBig(randomBytes(384).toString('hex')) % srp.N;
      assert.equal(hex(srp.scramble(A, B)), helper.calculateU(big(helper, hex(A)), big(helper, hex(B))).toString(16));
    }
  });

  it('computes x as the client does, and v = g^x', () => {
    const salt = srp.newSalt();
    const x = srp.passwordExponent('abcDEF123', 'alice', PASSWORD, salt);
    const clientX = helper.hexHash(helper.padHex(big(helper, salt)) + helper.hash(`abcDEF123alice:${PASSWORD}`));
    assert.equal(hex(x), toBig(clientX).toString(16));
    assert.equal(srp.verifier('abcDEF123', 'alice', PASSWORD, salt), srp.modPowBigInt(srp.g, x));
  });

  it('derives the same HKDF key ("Caldera Derived Key")', () => {
    const S = toBig(randomBytes(384).toString('hex')) % srp.N;
    const u = toBig(randomBytes(32).toString('hex'));
    const clientKey = helper.computehkdf(Buffer.from(srp.padHex(S), 'hex'), Buffer.from(srp.padHex(u), 'hex'));
    assert.deepEqual(srp.sessionKey(S, u), Buffer.from(clientKey));
  });

  it('agrees on the session key with the client for the right password, and not for a wrong one', async () => {
    const client = newHelper('abcDEF123');
    const A = toBig((await largeA(client)).toString(16));
    const salt = srp.newSalt();
    const { B, key } = srp.serverSession(A, srp.verifier('abcDEF123', 'alice', PASSWORD, salt));
    assert.deepEqual(Buffer.from(await passwordKey(client, 'alice', PASSWORD, hex(B), salt)), key);
    assert.notDeepEqual(Buffer.from(await passwordKey(client, 'alice', WRONG, hex(B), salt)), key);
  });

  it('exponentiates through OpenSSL to the same result as BigInt', () => {
    const base = toBig(randomBytes(384).toString('hex'));
    const e = toBig(randomBytes(32).toString('hex'));
    assert.equal(srp.modPow(base, e), srp.modPowBigInt(base, e));
    assert.equal(srp.modPow(1n, e), 1n);
    assert.equal(srp.modPow(srp.N - 1n, 3n), srp.N - 1n);
  });

  it('formats TIMESTAMP as the client does, day not zero-padded', () => {
    const DateHelper = (identity as unknown as { DateHelper: new () => { getNowString(): string } }).DateHelper;
    for (const at of [Date.UTC(2026, 2, 3, 7, 5, 9), Date.UTC(2025, 11, 31, 23, 59, 59), Date.UTC(2024, 1, 29, 0, 0, 0)]) {
      mock.timers.enable({ apis: ['Date'], now: at });
      try {
        const clientText = new DateHelper().getNowString();
        assert.equal(srp.formatTimestamp(at), clientText);
        assert.equal(srp.parseTimestamp(clientText), at);
      } finally {
        mock.timers.reset();
      }
    }
    assert.equal(srp.formatTimestamp(Date.UTC(2026, 2, 3, 7, 5, 9)), 'Tue Mar 3 07:05:09 UTC 2026');
  });

  it('refuses a TIMESTAMP with a zero-padded day, a wrong weekday or a date that does not exist', () => {
    assert.equal(srp.parseTimestamp('Tue Mar 03 07:05:09 UTC 2026'), null);
    assert.equal(srp.parseTimestamp('Wed Mar 3 07:05:09 UTC 2026'), null);
    assert.equal(srp.parseTimestamp('Mon Feb 30 07:05:09 UTC 2026'), null);
    assert.equal(srp.parseTimestamp('Tue Mar 3 07:05:09 GMT 2026'), null);
  });
});

describe('USER_SRP_AUTH and PASSWORD_VERIFIER', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) =>
    (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }))).UserPool!.Id!;
  const newClient = async (poolId: string, input: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const out = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ...input,
      }),
    );
    return { clientId: out.UserPoolClient!.ClientId!, secret: out.UserPoolClient!.ClientSecret };
  };
  const setup = async (pool: Partial<CreateUserPoolCommandInput> = {}, client: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const poolId = await newPool(pool);
    return { poolId, ...(await newClient(poolId, client)) };
  };
  const createUser = async (poolId: string, username: string, temporaryPassword = 'Temp0rary!x', attributes: Record<string, string> = {}) => {
    const out = await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: temporaryPassword,
        MessageAction: 'SUPPRESS',
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    return out.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
  };
  const confirmedUser = async (poolId: string, username: string, attributes: Record<string, string> = {}) => {
    const sub = await createUser(poolId, username, 'Temp0rary!x', attributes);
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    return sub;
  };

  interface Start {
    helper: AuthenticationHelper;
    out: InitiateAuthCommandOutput;
    params: Record<string, string>;
  }
  /** InitiateAuth USER_SRP_AUTH with A from the library's AuthenticationHelper. */
  const start = async (poolId: string, clientId: string, username: string, extra: Record<string, string> = {}): Promise<Start> => {
    const helper = newHelper(poolNameOf(poolId));
    const A = await largeA(helper);
    const out = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A.toString(16), ...extra } }),
    );
    return { helper, out, params: out.ChallengeParameters ?? {} };
  };
  /** The PASSWORD_VERIFIER answer as CognitoUser builds it, with what a test wants changed. */
  const answer = async (poolId: string, s: Start, password: string, o: { timestamp?: string; secretBlock?: string; extra?: Record<string, string> } = {}) => {
    const key = await passwordKey(s.helper, s.params['USER_ID_FOR_SRP']!, password, s.params['SRP_B']!, s.params['SALT']!);
    const timestamp = o.timestamp ?? srp.formatTimestamp(clock.now());
    const secretBlock = o.secretBlock ?? s.params['SECRET_BLOCK']!;
    return {
      USERNAME: s.params['USER_ID_FOR_SRP']!,
      PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: claim(key, poolNameOf(poolId), s.params['USER_ID_FOR_SRP']!, secretBlock, timestamp),
      ...o.extra,
    };
  };
  const respond = (clientId: string, responses: Record<string, string>, session?: string) =>
    c.anon.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: session }));
  const signIn = async (poolId: string, clientId: string, username: string, password: string) => {
    const s = await start(poolId, clientId, username);
    return respond(clientId, await answer(poolId, s, password), s.out.Session);
  };

  it('returns tokens for the right password, the challenge carrying SALT, SRP_B, SECRET_BLOCK and the username', async () => {
    const { poolId, clientId } = await setup();
    const sub = await confirmedUser(poolId, 'alice');
    const s = await start(poolId, clientId, 'alice');
    assert.equal(s.out.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(s.out.Session, undefined, 'Cognito sends no Session with PASSWORD_VERIFIER: SECRET_BLOCK is the handle');
    assert.equal(s.params['USER_ID_FOR_SRP'], 'alice');
    assert.equal(s.params['USERNAME'], 'alice');
    assert.match(s.params['SALT']!, /^[0-9a-f]+$/);
    assert.match(s.params['SRP_B']!, /^[0-9a-f]+$/);
    assert.ok(Buffer.from(s.params['SECRET_BLOCK']!, 'base64').length >= 32, 'SECRET_BLOCK carries at least 32 bytes');
    const out = await respond(clientId, await answer(poolId, s, PASSWORD));
    const access = claims(out.AuthenticationResult!.AccessToken!);
    assert.equal(access['username'], 'alice');
    assert.equal(access['client_id'], clientId);
    assert.equal(claims(out.AuthenticationResult!.IdToken!)['sub'], sub);
    assert.ok(out.AuthenticationResult!.RefreshToken, 'a refresh token is issued');
  });

  it('refuses a wrong password with NotAuthorizedException "Incorrect username or password."', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'bob');
    await assert.rejects(signIn(poolId, clientId, 'bob', WRONG), incorrect);
  });

  it('answers with the username as USER_ID_FOR_SRP when the user signs in with an email that is their username attribute', async () => {
    const { poolId, clientId } = await setup({ UsernameAttributes: ['email'] });
    const sub = await confirmedUser(poolId, 'dora@example.com');
    const s = await start(poolId, clientId, 'dora@example.com');
    assert.equal(s.params['USER_ID_FOR_SRP'], sub);
    const out = await respond(clientId, await answer(poolId, s, PASSWORD));
    assert.equal(claims(out.AuthenticationResult!.AccessToken!)['username'], sub);
  });

  it('works through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'ed');
    const helper = newHelper(poolNameOf(poolId));
    const A = await largeA(helper);
    const out = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'ed', SRP_A: A.toString(16) },
      }),
    );
    const s: Start = { helper, out, params: out.ChallengeParameters! };
    const done = await c.admin.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: await answer(poolId, s, PASSWORD),
      }),
    );
    assert.equal(claims(done.AuthenticationResult!.AccessToken!)['username'], 'ed');
  });

  it('refuses a replayed claim with "Incorrect username or password."', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'fay');
    const s = await start(poolId, clientId, 'fay');
    const responses = await answer(poolId, s, PASSWORD);
    assert.ok((await respond(clientId, responses)).AuthenticationResult?.AccessToken, 'the first answer signs in');
    await assert.rejects(respond(clientId, responses), incorrect);
  });

  it('refuses a TIMESTAMP more than five minutes old, and one whose weekday is wrong', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'gus');
    const old = await start(poolId, clientId, 'gus');
    await assert.rejects(respond(clientId, await answer(poolId, old, PASSWORD, { timestamp: srp.formatTimestamp(clock.now() - 10 * MINUTE) })), incorrect);
    // Today's date and time, but the wrong weekday: signed correctly, still refused.
    const wrongDay = await start(poolId, clientId, 'gus');
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const now = srp.formatTimestamp(clock.now());
    const text = days[(days.indexOf(now.slice(0, 3)) + 1) % 7] + now.slice(3);
    await assert.rejects(respond(clientId, await answer(poolId, wrongDay, PASSWORD, { timestamp: text })), incorrect);
    // The right TIMESTAMP still works after those refusals.
    assert.ok((await signIn(poolId, clientId, 'gus', PASSWORD)).AuthenticationResult, 'the right TIMESTAMP still signs in');
  });

  it('refuses a forged or altered SECRET_BLOCK, even with a claim signed over it', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'hal');
    const forged = await start(poolId, clientId, 'hal');
    await assert.rejects(respond(clientId, await answer(poolId, forged, PASSWORD, { secretBlock: randomBytes(64).toString('base64') })), incorrect);
    const altered = await start(poolId, clientId, 'hal');
    const bytes = Buffer.from(altered.params['SECRET_BLOCK']!, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    await assert.rejects(respond(clientId, await answer(poolId, altered, PASSWORD, { secretBlock: bytes.toString('base64') })), incorrect);
  });

  it('refuses a SECRET_BLOCK issued to another client of the pool', async () => {
    const { poolId, clientId } = await setup();
    const other = await newClient(poolId);
    await confirmedUser(poolId, 'ivy');
    const s = await start(poolId, clientId, 'ivy');
    await assert.rejects(respond(other.clientId, await answer(poolId, s, PASSWORD)), incorrect);
  });

  it('counts wrong SRP passwords toward the lockout shared with password sign-in', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'jo');
    for (let i = 0; i < 5; i++) await assert.rejects(signIn(poolId, clientId, 'jo', WRONG), incorrect);
    // Locked now: the right password is refused by both flows until the lock passes.
    await assert.rejects(signIn(poolId, clientId, 'jo', PASSWORD), locked);
    await assert.rejects(
      c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'jo', PASSWORD } })),
      locked,
    );
    clock.advance(2_000);
    assert.ok((await signIn(poolId, clientId, 'jo', PASSWORD)).AuthenticationResult, 'signs in once the lock has passed');
  });

  it('refuses replayed and forged claims without counting them against the user they name (no lockout by name alone)', async () => {
    const { poolId, clientId } = await setup();
    const sub = await confirmedUser(poolId, 'kai');
    const s = await start(poolId, clientId, 'kai');
    const responses = await answer(poolId, s, PASSWORD);
    await respond(clientId, responses);
    await assert.rejects(respond(clientId, responses), incorrect);
    const forged = { USERNAME: 'kai', PASSWORD_CLAIM_SECRET_BLOCK: 'AAAA', PASSWORD_CLAIM_SIGNATURE: 'x', TIMESTAMP: 'x' };
    for (let i = 0; i < 8; i++) await assert.rejects(respond(clientId, forged), incorrect);
    const user = (await c.deps.store.users.bySub(sub))!;
    assert.equal(user.failedAttempts, 0);
    assert.equal(user.lockedUntil, null);
    assert.equal(user.status, 'CONFIRMED');
  });

  it('counts a wrong claim against a live challenge as a failed attempt', async () => {
    const { poolId, clientId } = await setup();
    const sub = await confirmedUser(poolId, 'kia');
    const s = await start(poolId, clientId, 'kia');
    await assert.rejects(respond(clientId, await answer(poolId, s, 'Wrong-Passw0rd!')), incorrect);
    assert.equal((await c.deps.store.users.bySub(sub))!.failedAttempts, 1);
  });

  it('simulates the challenge for an unknown user where PreventUserExistenceErrors is ENABLED: stable SALT and user ID, then a wrong-password answer', async () => {
    const { poolId, clientId } = await setup({}, { PreventUserExistenceErrors: 'ENABLED' });
    await confirmedUser(poolId, 'real');
    const first = await start(poolId, clientId, 'nobody');
    const second = await start(poolId, clientId, 'nobody');
    const other = await start(poolId, clientId, 'someone-else');
    assert.equal(first.out.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(first.params['SALT'], second.params['SALT']);
    assert.equal(first.params['USER_ID_FOR_SRP'], second.params['USER_ID_FOR_SRP']);
    assert.notEqual(first.params['SALT'], other.params['SALT']);
    assert.notEqual(first.params['SRP_B'], second.params['SRP_B']);
    assert.deepEqual(Object.keys(first.params).sort(), Object.keys((await start(poolId, clientId, 'real')).params).sort());
    await assert.rejects(respond(clientId, await answer(poolId, first, PASSWORD)), incorrect);
  });

  it('gives a UUID-shaped, stable USER_ID_FOR_SRP to an unknown email where email is the username attribute', async () => {
    const { poolId, clientId } = await setup({ UsernameAttributes: ['email'] }, { PreventUserExistenceErrors: 'ENABLED' });
    const a = await start(poolId, clientId, 'ghost@example.com');
    const b = await start(poolId, clientId, 'ghost@example.com');
    assert.match(a.params['USER_ID_FOR_SRP']!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(a.params['USER_ID_FOR_SRP'], b.params['USER_ID_FOR_SRP']);
  });

  it('refuses an unknown user at InitiateAuth with UserNotFoundException where PreventUserExistenceErrors is LEGACY', async () => {
    const { poolId, clientId } = await setup({}, { PreventUserExistenceErrors: 'LEGACY' });
    await assert.rejects(start(poolId, clientId, 'nobody'), { name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('requires SECRET_HASH from a client with a secret, at both steps', async () => {
    const { poolId, clientId, secret } = await setup({}, { GenerateSecret: true });
    await confirmedUser(poolId, 'lee');
    await assert.rejects(start(poolId, clientId, 'lee'), {
      name: 'NotAuthorizedException',
      message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    });
    const s = await start(poolId, clientId, 'lee', { SECRET_HASH: secretHash(secret!, 'lee', clientId) });
    await assert.rejects(respond(clientId, await answer(poolId, s, PASSWORD, { extra: { SECRET_HASH: secretHash('wrong', 'lee', clientId) } })), {
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    const t = await start(poolId, clientId, 'lee', { SECRET_HASH: secretHash(secret!, 'lee', clientId) });
    const out = await respond(clientId, await answer(poolId, t, PASSWORD, { extra: { SECRET_HASH: secretHash(secret!, 'lee', clientId) } }));
    assert.ok(out.AuthenticationResult?.AccessToken, 'signs in with the right SECRET_HASH');
  });

  it('leads a FORCE_CHANGE_PASSWORD user to NEW_PASSWORD_REQUIRED, after which SRP works with the new password', async () => {
    const { poolId, clientId } = await setup();
    await createUser(poolId, 'max', 'Temp0rary!x');
    const first = await signIn(poolId, clientId, 'max', 'Temp0rary!x');
    assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.ok(first.Session, 'NEW_PASSWORD_REQUIRED comes with a Session');
    assert.equal(first.ChallengeParameters!['USER_ID_FOR_SRP'], 'max');
    const done = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session,
        ChallengeResponses: { USERNAME: 'max', NEW_PASSWORD },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken, 'the new password completes the sign-in');
    assert.ok((await signIn(poolId, clientId, 'max', NEW_PASSWORD)).AuthenticationResult?.AccessToken, 'SRP works with the new password');
    await assert.rejects(signIn(poolId, clientId, 'max', 'Temp0rary!x'), incorrect);
  });

  it('answers an unconfirmed user with UserNotConfirmedException, and a disabled one with "User is disabled.", only after the right password', async () => {
    const { poolId, clientId } = await setup();
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'ned', Password: PASSWORD }));
    await assert.rejects(signIn(poolId, clientId, 'ned', WRONG), incorrect);
    await assert.rejects(signIn(poolId, clientId, 'ned', PASSWORD), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    await confirmedUser(poolId, 'ola');
    await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'ola' }));
    await assert.rejects(signIn(poolId, clientId, 'ola', WRONG), incorrect);
    await assert.rejects(signIn(poolId, clientId, 'ola', PASSWORD), { name: 'NotAuthorizedException', message: 'User is disabled.' });
  });

  it('refuses a RESET_REQUIRED user at InitiateAuth with PasswordResetRequiredException', async () => {
    const { poolId, clientId } = await setup();
    const sub = await confirmedUser(poolId, 'pam');
    await c.deps.store.users.update(sub, { status: 'RESET_REQUIRED' }, clock.now());
    await assert.rejects(start(poolId, clientId, 'pam'), { name: 'PasswordResetRequiredException' });
  });

  it('refuses SRP for a user from before verifiers until a password sign-in gives them one', async () => {
    const { poolId, clientId } = await setup();
    const sub = await confirmedUser(poolId, 'quin');
    await c.deps.store.users.update(sub, { srpSalt: null, srpVerifierSealed: null }, clock.now());
    await assert.rejects(signIn(poolId, clientId, 'quin', PASSWORD), incorrect);
    await c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'quin', PASSWORD } }));
    assert.ok((await c.deps.store.users.bySub(sub))!.srpVerifierSealed, 'the password sign-in left a verifier');
    assert.ok((await signIn(poolId, clientId, 'quin', PASSWORD)).AuthenticationResult?.AccessToken, 'SRP works after the backfill');
  });

  it('keeps the verifier sealed at rest, bound to its user', async () => {
    const { poolId } = await setup();
    const sub = await confirmedUser(poolId, 'rex');
    const other = await confirmedUser(poolId, 'sam');
    const row = await c.deps.store.db.selectFrom('users').select(['srp_salt', 'srp_verifier_sealed']).where('sub', '=', sub).executeTakeFirstOrThrow();
    const v = srp.verifier(poolNameOf(poolId), 'rex', PASSWORD, row.srp_salt!);
    assert.ok(row.srp_verifier_sealed!.startsWith('v2.'), 'the verifier is stored sealed');
    assert.ok(!row.srp_verifier_sealed!.includes(hex(v)), 'the sealed value does not contain the verifier');
    assert.equal(c.deps.master.open('srp-verifier', sub, row.srp_verifier_sealed!).toString('utf8'), srp.padHex(v));
    assert.throws(() => c.deps.master.open('srp-verifier', other, row.srp_verifier_sealed!));
  });

  it('keeps a verifier for the new password whichever way the password is set', async () => {
    const { poolId, clientId } = await setup({ AutoVerifiedAttributes: ['email'] });
    // SignUp, confirmed with the mailed code (which also verifies the email ForgotPassword needs).
    await c.anon.send(
      new SignUpCommand({ ClientId: clientId, Username: 'una', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'una@example.com' }] }),
    );
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'una', ConfirmationCode: await c.inbox.nextCode('una@example.com') }));
    const signedIn = await signIn(poolId, clientId, 'una', PASSWORD);
    assert.ok(signedIn.AuthenticationResult?.AccessToken, 'SRP works after SignUp');
    // ChangePassword.
    await c.anon.send(
      new ChangePasswordCommand({ AccessToken: signedIn.AuthenticationResult.AccessToken, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }),
    );
    assert.ok((await signIn(poolId, clientId, 'una', NEW_PASSWORD)).AuthenticationResult, 'SRP works after ChangePassword');
    // ForgotPassword and ConfirmForgotPassword.
    await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'una' }));
    const code = await c.inbox.nextCode('una@example.com');
    await c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'una', ConfirmationCode: code, Password: 'Reset!Passw0rd' }));
    assert.ok((await signIn(poolId, clientId, 'una', 'Reset!Passw0rd')).AuthenticationResult, 'SRP works after ConfirmForgotPassword');
    // AdminSetUserPassword, permanent.
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'una', Password: 'Admin!Passw0rd', Permanent: true }));
    assert.ok((await signIn(poolId, clientId, 'una', 'Admin!Passw0rd')).AuthenticationResult, 'SRP works after AdminSetUserPassword');
    // AdminCreateUser, and its RESEND with a new temporary password.
    await createUser(poolId, 'vic', 'First!Temp0');
    assert.equal((await signIn(poolId, clientId, 'vic', 'First!Temp0')).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'vic', TemporaryPassword: 'Second!Temp0', MessageAction: 'RESEND' }));
    assert.equal((await signIn(poolId, clientId, 'vic', 'Second!Temp0')).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await assert.rejects(signIn(poolId, clientId, 'vic', 'First!Temp0'), incorrect);
  });

  it('refuses the flow on a client that does not allow it with InvalidParameterException', async () => {
    const { poolId, clientId } = await setup({}, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await confirmedUser(poolId, 'wes');
    await assert.rejects(start(poolId, clientId, 'wes'), { name: 'InvalidParameterException', message: 'USER_SRP_AUTH flow not enabled for this client' });
  });

  it('refuses an SRP_A that is 0 mod N, or not hex, with InvalidParameterException', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'xia');
    for (const SRP_A of ['0', hex(srp.N), hex(srp.N * 2n), 'xyz']) {
      await assert.rejects(
        c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'xia', SRP_A } })),
        {
          name: 'InvalidParameterException',
        },
      );
    }
  });

  it('requires the claim parameters with InvalidParameterException', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'yul');
    const s = await start(poolId, clientId, 'yul');
    const full = await answer(poolId, s, PASSWORD);
    for (const name of ['PASSWORD_CLAIM_SECRET_BLOCK', 'PASSWORD_CLAIM_SIGNATURE', 'TIMESTAMP'] as const) {
      const { [name]: _left, ...rest } = full;
      await assert.rejects(respond(clientId, rest), { name: 'InvalidParameterException', message: `Missing required parameter ${name}` });
    }
    // Refusing incomplete answers did not use up the challenge.
    assert.ok((await respond(clientId, full)).AuthenticationResult, 'the full answer still signs in');
  });

  it('refuses CUSTOM_AUTH on a pool without a DefineAuthChallenge trigger', async () => {
    // CUSTOM_AUTH with its trigger, SRP first included: custom-auth-challenges.test.ts.
    const plain = await setup({}, { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await confirmedUser(plain.poolId, 'zed');
    await assert.rejects(c.anon.send(new InitiateAuthCommand({ ClientId: plain.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'zed' } })), {
      name: 'InvalidParameterException',
      message: 'Custom auth lambda trigger is not configured for the user pool.',
    });
  });
});
