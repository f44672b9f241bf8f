import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminDisableUserCommand,
  AssociateSoftwareTokenCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type CreateUserPoolClientCommandInput,
  type ExplicitAuthFlowsType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { formatTimestamp } from '../src/crypto/srp.ts';
import { FakeClock } from '../src/services/clock.ts';
import { attrs, createConfirmedUser, createPoolAndClient, PASSWORD } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { claim, largeA, newHelper, passwordKey, poolNameOf } from './helpers/srp-client.ts';
import { totpCode } from './helpers/totp.ts';
import { arnOf, TriggerFunctions, type TriggerEvent } from './helpers/trigger-functions.ts';

// CUSTOM_AUTH driven by real DefineAuthChallenge / CreateAuthChallenge /
// VerifyAuthChallengeResponse modules (helpers/trigger-functions.ts),
// through the real SDK and amazon-cognito-identity-js.

const CUSTOM_FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

// The functions play a question-and-code game: Define asks for the password
// first when the flow opened with SRP_A, then CUSTOM_CHALLENGEs until one is
// answered right (tokens) or three are answered wrong (fail). Create's
// private answer is `code-<round>`. Each records the event it received; a
// test's plan for a function replaces its game until the next test.
const DEFINE = `
export const handler = async (event) => {
  RECORD(event);
  return PLANNED(event, (event) => {
    const session = event.request.session;
    const last = session[session.length - 1];
    const customs = session.filter((r) => r.challengeName === 'CUSTOM_CHALLENGE');
    if (session.length === 1 && last.challengeName === 'SRP_A') {
      event.response.challengeName = 'PASSWORD_VERIFIER';
      event.response.issueTokens = false;
      event.response.failAuthentication = false;
    } else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
      event.response.issueTokens = true;
      event.response.failAuthentication = false;
    } else if (customs.length >= 3) {
      event.response.issueTokens = false;
      event.response.failAuthentication = true;
    } else {
      event.response.challengeName = 'CUSTOM_CHALLENGE';
      event.response.issueTokens = false;
      event.response.failAuthentication = false;
    }
    return event;
  });
};`;

const CREATE = `
export const handler = async (event) => {
  RECORD(event);
  return PLANNED(event, (event) => {
    const round = event.request.session.filter((r) => r.challengeName === 'CUSTOM_CHALLENGE').length + 1;
    event.response.publicChallengeParameters = { question: 'What is the code?', round: String(round) };
    event.response.privateChallengeParameters = { answer: 'code-' + round };
    event.response.challengeMetadata = 'CODE-' + round;
    return event;
  });
};`;

const VERIFY = `
export const handler = async (event) => {
  RECORD(event);
  return PLANNED(event, (event) => {
    event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
    return event;
  });
};`;

const CHALLENGE_TRIGGERS = {
  DefineAuthChallenge: arnOf('define-auth'),
  CreateAuthChallenge: arnOf('create-auth'),
  VerifyAuthChallengeResponse: arnOf('verify-auth'),
};

type ChallengeEvent = TriggerEvent & {
  request: { session?: { challengeName: string; challengeResult: boolean; challengeMetadata: string | null }[] };
};

describe('CUSTOM_AUTH with challenge triggers', () => {
  let c: Running;
  let fns: TriggerFunctions;
  // The server's clock starts at the real time (SRP timestamps come from the library's wall clock) and moves only for expiry.
  const clock = new FakeClock(Date.now());
  before(async () => {
    fns = new TriggerFunctions().module('define-auth', DEFINE).module('create-auth', CREATE).module('verify-auth', VERIFY);
    c = await startCognate({ clock, config: { functionsFile: fns.functionsFile } });
  });
  after(async () => {
    await c.stop();
    fns.cleanup();
  });
  beforeEach(() => fns.reset());

  /** The events the functions received for a pool, oldest first. */
  const eventsOf = (poolId: string) => fns.events<ChallengeEvent>().filter((e) => e.userPoolId === poolId);

  const setup = async (client: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const ids = await createPoolAndClient(c, { pool: { LambdaConfig: CHALLENGE_TRIGGERS }, client: { ExplicitAuthFlows: CUSTOM_FLOWS, ...client } });
    await createConfirmedUser(c, ids.poolId, 'carol', { attributes: attrs({ email: 'carol@example.com', email_verified: 'true' }) });
    return ids;
  };
  const initiate = (clientId: string, username: string) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } }));
  const answer = (clientId: string, out: { Session?: string | undefined }, username: string, value: string, metadata?: Record<string, string>) =>
    c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: out.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: value },
        ...(metadata ? { ClientMetadata: metadata } : {}),
      }),
    );

  describe('the passwordless flow (InitiateAuth, RespondToAuthChallenge)', () => {
    it('asks Define, hands out Create’s public parameters with USERNAME, judges answers by Verify, and issues tokens when Define says so', async () => {
      const { poolId, clientId } = await setup();
      const first = await initiate(clientId, 'carol');
      assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.deepEqual(first.ChallengeParameters, { question: 'What is the code?', round: '1', USERNAME: 'carol' });
      assert.ok(first.Session && first.Session.length > 20, 'an opaque Session');
      assert.equal(first.AuthenticationResult, undefined);

      const [define, create] = eventsOf(poolId);
      assert.equal(define!.triggerSource, 'DefineAuthChallenge_Authentication');
      assert.equal(define!.version, '1');
      assert.equal(define!.userName, 'carol');
      assert.equal(define!.callerContext.clientId, clientId);
      assert.deepEqual(define!.request.session, []);
      assert.equal((define!.request['userAttributes'] as Record<string, string>)['email'], 'carol@example.com');
      assert.equal((define!.request['userAttributes'] as Record<string, string>)['cognito:user_status'], 'CONFIRMED');
      assert.ok(!('clientMetadata' in define!.request), 'InitiateAuth’s ClientMetadata does not reach the challenge functions');
      assert.ok(!('userNotFound' in define!.request), 'userNotFound is populated only when PreventUserExistenceErrors is ENABLED');
      assert.equal(create!.triggerSource, 'CreateAuthChallenge_Authentication');
      assert.equal(create!.request['challengeName'], 'CUSTOM_CHALLENGE');
      assert.deepEqual(create!.request.session, []);

      // A wrong answer: Verify says no, Define asks again, with a new Session.
      const second = await answer(clientId, first, 'carol', 'code-9', { app: 'web' });
      assert.equal(second.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.equal(second.ChallengeParameters!['round'], '2');
      assert.notEqual(second.Session, first.Session);
      const afterWrong = eventsOf(poolId).slice(2);
      assert.deepEqual(
        afterWrong.map((e) => e.triggerSource),
        ['VerifyAuthChallengeResponse_Authentication', 'DefineAuthChallenge_Authentication', 'CreateAuthChallenge_Authentication'],
      );
      const verify = afterWrong[0]!;
      assert.deepEqual(verify.request['privateChallengeParameters'], { answer: 'code-1' });
      assert.equal(verify.request['challengeAnswer'], 'code-9');
      for (const e of afterWrong)
        assert.deepEqual(e.request['clientMetadata'], { app: 'web' }, `${e.triggerSource} gets RespondToAuthChallenge’s ClientMetadata`);
      assert.deepEqual(afterWrong[1]!.request.session, [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-1' }]);

      // The used Session is gone; the new one takes the right answer.
      await assert.rejects(answer(clientId, first, 'carol', 'code-1'), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      const done = await answer(clientId, second, 'carol', 'code-2');
      assert.ok(done.AuthenticationResult?.AccessToken, 'tokens');
      assert.equal(done.ChallengeName, undefined);
      const payload = JSON.parse(Buffer.from(done.AuthenticationResult!.IdToken!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(payload['cognito:username'], 'carol');
      const last = eventsOf(poolId).at(-1)!;
      assert.deepEqual(last.request.session, [
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-1' },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CODE-2' },
      ]);
    });

    it('fails with NotAuthorizedException "Incorrect username or password." when Define sets failAuthentication', async () => {
      const { clientId } = await setup();
      let out: InitiateAuthCommandOutput = await initiate(clientId, 'carol');
      out = await answer(clientId, out, 'carol', 'no');
      out = await answer(clientId, out, 'carol', 'no');
      await assert.rejects(answer(clientId, out, 'carol', 'no'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    it('does not count wrong answers toward the password lockout', async () => {
      const { clientId } = await setup({ ExplicitAuthFlows: [...CUSTOM_FLOWS, 'ALLOW_USER_PASSWORD_AUTH'] });
      for (let i = 0; i < 3; i++) {
        let out: InitiateAuthCommandOutput = await initiate(clientId, 'carol');
        out = await answer(clientId, out, 'carol', 'no');
        out = await answer(clientId, out, 'carol', 'no');
        await assert.rejects(answer(clientId, out, 'carol', 'no'), { name: 'NotAuthorizedException' });
      }
      const password = await c.anon.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carol', PASSWORD } }),
      );
      assert.ok(password.AuthenticationResult, 'nine wrong answers did not lock the account');
    });

    it('refuses an answer whose USERNAME is not the user the Session was made for, leaving the Session usable', async () => {
      const { poolId, clientId } = await setup();
      await createConfirmedUser(c, poolId, 'dave');
      const out = await initiate(clientId, 'carol');
      await assert.rejects(answer(clientId, out, 'dave', 'code-1'), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      assert.ok((await answer(clientId, out, 'carol', 'code-1')).AuthenticationResult);
    });

    it('never hands out the private parameters', async () => {
      const { clientId } = await setup();
      const out = await initiate(clientId, 'carol');
      assert.ok(!JSON.stringify(out).includes('code-1'));
    });
  });

  describe('the admin flow (AdminInitiateAuth, AdminRespondToAuthChallenge)', () => {
    it('runs the same rounds, ClientMetadata reaching Define, Create and Verify', async () => {
      const { poolId, clientId } = await setup({ ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'] });
      const first = await c.admin.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'carol' } }),
      );
      assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
      const done = await c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'carol', ANSWER: 'code-1' },
          ClientMetadata: { from: 'admin' },
        }),
      );
      assert.ok(done.AuthenticationResult?.IdToken);
      const later = eventsOf(poolId).slice(2);
      assert.deepEqual(
        later.map((e) => [e.triggerSource, e.request['clientMetadata']]),
        [
          ['VerifyAuthChallengeResponse_Authentication', { from: 'admin' }],
          ['DefineAuthChallenge_Authentication', { from: 'admin' }],
        ],
      );
    });
  });

  describe('SRP first through the SDK (AdminInitiateAuth, AdminRespondToAuthChallenge)', () => {
    it('CHALLENGE_NAME SRP_A: Define asks for PASSWORD_VERIFIER, the proof goes back to Define with ClientMetadata, then the custom challenge', async () => {
      const { poolId, clientId } = await setup({ ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'] });
      const helper = newHelper(poolNameOf(poolId));
      const A = await largeA(helper);
      const start = await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'CUSTOM_AUTH',
          AuthParameters: { USERNAME: 'carol', CHALLENGE_NAME: 'SRP_A', SRP_A: A.toString(16) },
        }),
      );
      assert.equal(start.ChallengeName, 'PASSWORD_VERIFIER');
      const p = start.ChallengeParameters!;
      const key = await passwordKey(helper, p['USER_ID_FOR_SRP']!, PASSWORD, p['SRP_B']!, p['SALT']!);
      const timestamp = formatTimestamp(clock.now());
      const custom = await c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: {
            USERNAME: p['USER_ID_FOR_SRP']!,
            PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
            TIMESTAMP: timestamp,
            PASSWORD_CLAIM_SIGNATURE: claim(key, poolNameOf(poolId), p['USER_ID_FOR_SRP']!, p['SECRET_BLOCK']!, timestamp),
          },
          ClientMetadata: { step: 'password' },
        }),
      );
      assert.equal(custom.ChallengeName, 'CUSTOM_CHALLENGE');
      const second = eventsOf(poolId).filter((e) => e.triggerSource === 'DefineAuthChallenge_Authentication')[1]!;
      assert.deepEqual(second.request['clientMetadata'], { step: 'password' });
      assert.equal(second.request.session!.at(-1)!.challengeName, 'PASSWORD_VERIFIER');
      const done = await c.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: custom.Session,
          ChallengeResponses: { USERNAME: 'carol', ANSWER: 'code-1' },
        }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
    });
  });

  describe('names that match no user', () => {
    it('answers UserNotFoundException without running a function (PreventUserExistenceErrors LEGACY)', async () => {
      const { poolId, clientId } = await setup({ PreventUserExistenceErrors: 'LEGACY' });
      await assert.rejects(initiate(clientId, 'nobody'), { name: 'UserNotFoundException', message: 'User does not exist.' });
      assert.equal(eventsOf(poolId).length, 0);
    });

    it('plays the challenges with userNotFound: true and never issues tokens (ENABLED)', async () => {
      const { poolId, clientId } = await setup({ PreventUserExistenceErrors: 'ENABLED' });
      const out = await initiate(clientId, 'nobody');
      assert.equal(out.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.equal(out.ChallengeParameters!['USERNAME'], 'nobody');
      const [define] = eventsOf(poolId);
      assert.equal(define!.request['userNotFound'], true);
      assert.equal(define!.userName, 'nobody');
      assert.deepEqual(define!.request['userAttributes'], {});
      // The "right" answer: Verify says yes and Define issues tokens, but there is no one to issue them to.
      await assert.rejects(answer(clientId, out, 'nobody', 'code-1'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      // A real user under ENABLED is told userNotFound: false.
      await initiate(clientId, 'carol');
      assert.equal(eventsOf(poolId).find((e) => e.userName === 'carol')!.request['userNotFound'], false);
    });
  });

  describe('refusals', () => {
    it('refuses a disabled user with NotAuthorizedException "User is disabled."', async () => {
      const { poolId, clientId } = await setup();
      await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'carol' }));
      await assert.rejects(initiate(clientId, 'carol'), { name: 'NotAuthorizedException', message: 'User is disabled.' });
    });

    it('a function that throws fails the call with UserLambdaValidationException', async () => {
      const { clientId } = await setup();
      fns.plan('define-auth', { throw: 'define broke' });
      await assert.rejects(initiate(clientId, 'carol'), {
        name: 'UserLambdaValidationException',
        message: 'DefineAuthChallenge failed with error define broke.',
      });
    });

    it('a public parameter that is not a string is InvalidLambdaResponseException', async () => {
      const { clientId } = await setup();
      // Create's round 1, with the round a number.
      fns.plan('create-auth', {
        respond: {
          publicChallengeParameters: { question: 'What is the code?', round: 1 },
          privateChallengeParameters: { answer: 'code-1' },
          challengeMetadata: 'CODE-1',
        },
      });
      await assert.rejects(initiate(clientId, 'carol'), { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    });

    it('a challenge name Cognate cannot present is InvalidLambdaResponseException; PASSWORD_VERIFIER only follows SRP_A', async () => {
      const { clientId } = await setup();
      fns.plan('define-auth', { respond: { challengeName: 'PASSWORD_VERIFIER' } });
      await assert.rejects(initiate(clientId, 'carol'), { name: 'InvalidLambdaResponseException' });
      fns.plan('define-auth', { respond: { challengeName: 'SOMETHING_ELSE' } });
      await assert.rejects(initiate(clientId, 'carol'), { name: 'InvalidLambdaResponseException' });
    });

    it('ends a sign-in whose session list reaches 50 entries, without asking Define again', async () => {
      const { poolId, clientId } = await setup();
      fns.plan('define-auth', { respond: { challengeName: 'CUSTOM_CHALLENGE' } });
      let out: InitiateAuthCommandOutput = await initiate(clientId, 'carol');
      for (let i = 1; i < 50; i++) out = await answer(clientId, out, 'carol', 'wrong');
      assert.equal(out.ChallengeName, 'CUSTOM_CHALLENGE', '49 wrong answers still get a challenge');
      const before = eventsOf(poolId).length;
      await assert.rejects(answer(clientId, out, 'carol', 'wrong'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      assert.deepEqual(
        eventsOf(poolId)
          .slice(before)
          .map((e) => e.triggerSource),
        ['VerifyAuthChallengeResponse_Authentication'],
      );
    });

    it('Define may issue tokens at once', async () => {
      const { clientId } = await setup();
      fns.plan('define-auth', { respond: { issueTokens: true, failAuthentication: false } });
      assert.ok((await initiate(clientId, 'carol')).AuthenticationResult?.AccessToken);
    });
  });

  describe('amazon-cognito-identity-js', () => {
    const library = (poolId: string, clientId: string, username: string) => {
      const user = new CognitoUser({ Username: username, Pool: new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: c.url }) });
      user.setAuthenticationFlowType('CUSTOM_AUTH');
      return user;
    };
    type Outcome = { kind: 'challenge'; params: Record<string, string> } | { kind: 'session'; session: CognitoUserSession };
    const callbacks = (resolve: (o: Outcome) => void, reject: (e: Error) => void) => ({
      onSuccess: (session: CognitoUserSession) => resolve({ kind: 'session', session }),
      onFailure: reject,
      customChallenge: (params: Record<string, string>) => resolve({ kind: 'challenge', params }),
    });
    const sendAnswer = (user: CognitoUser, value: string, metadata?: Record<string, string>) =>
      new Promise<Outcome>((resolve, reject) => user.sendCustomChallengeAnswer(value, callbacks(resolve, reject), metadata));

    it('initiateAuth and sendCustomChallengeAnswer: the passwordless flow', async () => {
      const { poolId, clientId } = await setup();
      const user = library(poolId, clientId, 'carol');
      const first = await new Promise<Outcome>((resolve, reject) =>
        user.initiateAuth(new AuthenticationDetails({ Username: 'carol' }), callbacks(resolve, reject)),
      );
      assert.equal(first.kind, 'challenge');
      assert.equal(first.kind === 'challenge' && first.params['question'], 'What is the code?');
      const wrong = await sendAnswer(user, 'nope');
      assert.equal(wrong.kind, 'challenge');
      const done = await sendAnswer(user, 'code-2', { via: 'identity-js' });
      assert.equal(done.kind, 'session');
      assert.equal(done.kind === 'session' && done.session.getIdToken().decodePayload()['cognito:username'], 'carol');
      assert.deepEqual(eventsOf(poolId).at(-1)!.request['clientMetadata'], { via: 'identity-js' });
    });

    it('authenticateUser with CUSTOM_AUTH: the password by SRP first, then the custom challenge', async () => {
      const { poolId, clientId } = await setup();
      const user = library(poolId, clientId, 'carol');
      const first = await new Promise<Outcome>((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: 'carol', Password: PASSWORD }), callbacks(resolve, reject)),
      );
      assert.equal(first.kind, 'challenge', 'the custom challenge comes after the password');
      const defines = eventsOf(poolId).filter((e) => e.triggerSource === 'DefineAuthChallenge_Authentication');
      assert.deepEqual(
        defines.map((e) => e.request.session),
        [
          [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }],
          [
            { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
            { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
          ],
        ],
      );
      const done = await sendAnswer(user, 'code-1');
      assert.equal(done.kind, 'session');
    });

    it('authenticateUser with CUSTOM_AUTH and a wrong password: "Incorrect username or password.", Define not asked again', async () => {
      const { poolId, clientId } = await setup();
      const user = library(poolId, clientId, 'carol');
      await assert.rejects(
        new Promise<Outcome>((resolve, reject) =>
          user.authenticateUser(new AuthenticationDetails({ Username: 'carol', Password: 'Wr0ng!pass' }), callbacks(resolve, reject)),
        ),
        { code: 'NotAuthorizedException', message: 'Incorrect username or password.' },
      );
      assert.equal(eventsOf(poolId).length, 1, 'only the first Define ran');
    });
  });

  describe('MFA', () => {
    const mfaPool = async () => {
      const ids = await createPoolAndClient(c, {
        pool: { LambdaConfig: CHALLENGE_TRIGGERS },
        mfa: { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } },
        client: { ExplicitAuthFlows: CUSTOM_FLOWS },
      });
      await createConfirmedUser(c, ids.poolId, 'carol');
      // TOTP set up with tokens from a custom sign-in.
      const first = await initiate(ids.clientId, 'carol');
      const token = (await answer(ids.clientId, first, 'carol', 'code-1')).AuthenticationResult!.AccessToken!;
      const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
      await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totpCode(SecretCode!, clock.now()) }));
      await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      return { ...ids, secret: SecretCode! };
    };

    it('a passwordless custom sign-in gets no MFA challenge (Cognito runs MFA only after a password)', async () => {
      const { clientId } = await mfaPool();
      const first = await initiate(clientId, 'carol');
      assert.ok((await answer(clientId, first, 'carol', 'code-1')).AuthenticationResult?.AccessToken);
    });

    it('after SRP, the custom challenges and then the user’s MFA (amazon-cognito-identity-js)', async () => {
      const { poolId, clientId, secret } = await mfaPool();
      const user = new CognitoUser({ Username: 'carol', Pool: new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: c.url }) });
      user.setAuthenticationFlowType('CUSTOM_AUTH');
      type Step = { kind: string; session?: CognitoUserSession };
      const cb = (resolve: (s: Step) => void, reject: (e: Error) => void) => ({
        onSuccess: (session: CognitoUserSession) => resolve({ kind: 'tokens', session }),
        onFailure: reject,
        customChallenge: () => resolve({ kind: 'custom' }),
        totpRequired: () => resolve({ kind: 'totp' }),
      });
      const first = await new Promise<Step>((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: 'carol', Password: PASSWORD }), cb(resolve, reject)),
      );
      assert.equal(first.kind, 'custom');
      const second = await new Promise<Step>((resolve, reject) => user.sendCustomChallengeAnswer('code-1', cb(resolve, reject)));
      assert.equal(second.kind, 'totp', 'Define’s tokens wait for the user’s MFA');
      clock.advance(30_000); // the set-up's code is spent: the next window's
      const done = await new Promise<Step>((resolve, reject) => user.sendMFACode(totpCode(secret, clock.now()), cb(resolve, reject), 'SOFTWARE_TOKEN_MFA'));
      assert.equal(done.kind, 'tokens');
    });
  });

  describe('session expiry', () => {
    it('an answer after the Session’s validity (3 minutes by default) is refused', async () => {
      const { clientId } = await setup();
      const out = await initiate(clientId, 'carol');
      clock.advance(3 * 60_000 + 1000);
      await assert.rejects(answer(clientId, out, 'carol', 'code-1'), {
        name: 'NotAuthorizedException',
        message: 'Invalid session for the user, session is expired.',
      });
    });
  });
});
