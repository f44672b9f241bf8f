import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as srp from '../src/crypto/srp.ts';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { claim, largeA, newHelper, passwordKey, poolNameOf } from './helpers/srp-client.ts';

// PreventUserExistenceErrors: with ENABLED an unknown name, a wrong password
// and a disabled account must be indistinguishable from outside (message,
// lockout, hourly caps); with LEGACY an unknown name is UserNotFoundException.
// Timing is measured by bench/enumeration.ts, not asserted here.

const PASSWORD = 'Passw0rd!';
const WRONG = 'Wr0ng!Passw0rd';
const clock = new FakeClock(Date.now());
let c: Running;
let poolId: string;
let hiding: string;
let legacy: string;
let seq = 0;

const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const locked = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };

async function client(mode: 'ENABLED' | 'LEGACY'): Promise<string> {
  const out = await c.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: `enum-${mode}`,
      PreventUserExistenceErrors: mode,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return out.UserPoolClient!.ClientId!;
}

async function user(opts: { disabled?: boolean } = {}): Promise<string> {
  const username = `enum-user-${++seq}`;
  await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
  await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  if (opts.disabled) await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
  return username;
}

const unknownName = () => `nobody-${++seq}`;

const passwordSignIn = (clientId: string, username: string, password: string) =>
  c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

/** The error (name and message) a call ends with, or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

async function srpStart(clientId: string, username: string) {
  const helper = newHelper(poolNameOf(poolId));
  const A = await largeA(helper);
  const out = await c.anon.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A.toString(16) } }),
  );
  return { helper, out, params: out.ChallengeParameters ?? {} };
}

async function srpAnswer(clientId: string, s: Awaited<ReturnType<typeof srpStart>>, password: string) {
  const userId = s.params['USER_ID_FOR_SRP']!;
  const key = await passwordKey(s.helper, userId, password, s.params['SRP_B']!, s.params['SALT']!);
  const timestamp = srp.formatTimestamp(clock.now());
  const block = s.params['SECRET_BLOCK']!;
  return c.anon.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: block,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: claim(key, poolNameOf(poolId), userId, block, timestamp),
      },
    }),
  );
}

describe('user existence (PreventUserExistenceErrors)', () => {
  before(async () => {
    c = await startCognate({ clock });
    poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'enumeration' }))).UserPool!.Id!;
    hiding = await client('ENABLED');
    legacy = await client('LEGACY');
  });
  after(() => c.stop());

  it('ENABLED › unknown user, wrong password and a disabled user get the same NotAuthorizedException text', async () => {
    const known = await user();
    const disabled = await user({ disabled: true });
    await assert.rejects(passwordSignIn(hiding, unknownName(), WRONG), incorrect);
    await assert.rejects(passwordSignIn(hiding, known, WRONG), incorrect);
    await assert.rejects(passwordSignIn(hiding, disabled, WRONG), incorrect);
  });

  it('ENABLED › an account awaiting a password reset answers as a wrong password (LEGACY: PasswordResetRequiredException)', async () => {
    const name = await user();
    const sub = (await c.deps.store.users.byUsername(poolId, name))!.sub;
    await c.deps.store.users.update(sub, { status: 'RESET_REQUIRED' }, clock.now());
    await assert.rejects(passwordSignIn(hiding, name, PASSWORD), incorrect);
    await assert.rejects(srpStart(hiding, name), incorrect);
    await assert.rejects(passwordSignIn(legacy, name, PASSWORD), { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' });
  });

  it('LEGACY › an unknown user is UserNotFoundException; a wrong password is NotAuthorizedException', async () => {
    const known = await user();
    await assert.rejects(passwordSignIn(legacy, unknownName(), WRONG), { name: 'UserNotFoundException', message: 'User does not exist.' });
    await assert.rejects(passwordSignIn(legacy, known, WRONG), incorrect);
  });

  it('ENABLED › an unknown name is locked out on the same schedule as a real account ("Password attempts exceeded")', async () => {
    const run = async (name: string): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) seen.push(await outcome(passwordSignIn(hiding, name, WRONG)));
      clock.advance(1_100); // the 1 s lock after five failures has passed: the next failure locks for 2 s
      seen.push(await outcome(passwordSignIn(hiding, name, WRONG)));
      seen.push(await outcome(passwordSignIn(hiding, name, WRONG)));
      clock.advance(2_100);
      seen.push(await outcome(passwordSignIn(hiding, name, WRONG)));
      return seen;
    };
    const real = await run(await user());
    const ghost = await run(unknownName());
    const i = `${incorrect.name}: ${incorrect.message}`;
    const l = `${locked.name}: ${locked.message}`;
    assert.deepEqual(real, [i, i, i, i, i, l, i, l, i]);
    assert.deepEqual(ghost, real);
  });

  it('ENABLED › a locked unknown name is locked for SRP too, at the first step, as a real account is', async () => {
    const real = await user();
    const ghost = unknownName();
    for (const name of [real, ghost]) for (let i = 0; i < 5; i++) await assert.rejects(passwordSignIn(hiding, name, WRONG), incorrect);
    await assert.rejects(srpStart(hiding, real), locked);
    await assert.rejects(srpStart(hiding, ghost), locked);
    clock.advance(1_100);
  });

  it('ENABLED › SRP for an unknown user: a simulated first step, stable per name and distinct between names, then the wrong-password answer', async () => {
    const ghost = unknownName();
    const a = await srpStart(hiding, ghost);
    const b = await srpStart(hiding, ghost);
    const other = await srpStart(hiding, unknownName());
    const real = await srpStart(hiding, await user());
    assert.equal(a.out.ChallengeName, 'PASSWORD_VERIFIER');
    assert.deepEqual(Object.keys(a.params).sort(), Object.keys(real.params).sort());
    assert.equal(a.params['SALT'], b.params['SALT']);
    assert.equal(a.params['USER_ID_FOR_SRP'], b.params['USER_ID_FOR_SRP']);
    assert.notEqual(a.params['SALT'], other.params['SALT']);
    assert.notEqual(a.params['SRP_B'], b.params['SRP_B'], 'B is fresh each time, as for a real user');
    assert.match(a.params['SRP_B']!, /^[0-9a-f]+$/);
    assert.ok(a.params['SRP_B']!.length >= real.params['SRP_B']!.length - 4, 'B of the same size as a real one');
    await assert.rejects(srpAnswer(hiding, a, PASSWORD), incorrect);
  });

  it('ENABLED › failed SRP claims under an unknown name count toward its simulated lockout', async () => {
    const ghost = unknownName();
    for (let i = 0; i < 5; i++) await assert.rejects(srpAnswer(hiding, await srpStart(hiding, ghost), PASSWORD), incorrect);
    await assert.rejects(srpStart(hiding, ghost), locked);
    clock.advance(1_100);
  });

  it('LEGACY › SRP for an unknown user is UserNotFoundException at the first step', async () => {
    await assert.rejects(srpStart(legacy, unknownName()), { name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('ENABLED › ForgotPassword for an unknown name reports a simulated delivery and meets the same hourly cap as a real account', async () => {
    const ghost = unknownName();
    for (let i = 0; i < 5; i++) {
      const out = await c.anon.send(new ForgotPasswordCommand({ ClientId: hiding, Username: ghost }));
      assert.ok(out.CodeDeliveryDetails?.Destination);
      assert.ok(out.CodeDeliveryDetails?.DeliveryMedium);
    }
    await assert.rejects(c.anon.send(new ForgotPasswordCommand({ ClientId: hiding, Username: ghost })), {
      name: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
  });

  it('ENABLED › ResendConfirmationCode for an unknown name reports a simulated delivery, stable per name, under the hourly cap', async () => {
    const ghost = unknownName();
    const first = await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: hiding, Username: ghost }));
    const second = await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: hiding, Username: ghost }));
    assert.deepEqual(first.CodeDeliveryDetails, second.CodeDeliveryDetails);
    for (let i = 0; i < 3; i++) await c.anon.send(new ResendConfirmationCodeCommand({ ClientId: hiding, Username: ghost }));
    await assert.rejects(c.anon.send(new ResendConfirmationCodeCommand({ ClientId: hiding, Username: ghost })), { name: 'LimitExceededException' });
  });

  it('LEGACY › ForgotPassword and ResendConfirmationCode for an unknown name are UserNotFoundException', async () => {
    const notFound = { name: 'UserNotFoundException', message: 'User does not exist.' };
    await assert.rejects(c.anon.send(new ForgotPasswordCommand({ ClientId: legacy, Username: unknownName() })), notFound);
    await assert.rejects(c.anon.send(new ResendConfirmationCodeCommand({ ClientId: legacy, Username: unknownName() })), notFound);
  });

  it('ENABLED › ConfirmForgotPassword checks the password policy for an unknown name before answering CodeMismatchException', async () => {
    const ghost = unknownName();
    await assert.rejects(c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: hiding, Username: ghost, ConfirmationCode: '123456', Password: 'short' })), {
      name: 'InvalidPasswordException',
    });
    await assert.rejects(
      c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: hiding, Username: ghost, ConfirmationCode: '123456', Password: 'N3w!Passw0rd-long' })),
      {
        name: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      },
    );
  });

  it('ENABLED › ConfirmSignUp guesses under an unknown name meet the same hourly cap (15) as a real account', async () => {
    const ghost = unknownName();
    for (let i = 0; i < 15; i++) {
      await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: hiding, Username: ghost, ConfirmationCode: '123456' })), {
        name: 'CodeMismatchException',
      });
    }
    await assert.rejects(c.anon.send(new ConfirmSignUpCommand({ ClientId: hiding, Username: ghost, ConfirmationCode: '123456' })), {
      name: 'LimitExceededException',
    });
  });
});
