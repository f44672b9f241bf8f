import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 5));
let c: Running;
let seq = 0;

const totp = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: clock.now() });
const wrongCode = (secret: string) => (totp(secret) === '000000' ? '111111' : '000000');

before(async () => {
  c = await startCognate({ clock });
});
after(async () => {
  await c.stop();
});

async function totpUser(): Promise<{ clientId: string; username: string; secret: string }> {
  const pool = await c.admin.send(new CreateUserPoolCommand({ PoolName: `mfa-${++seq}` }));
  const poolId = pool.UserPool!.Id!;
  await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const client = await c.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  const username = `user${seq}`;
  await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
  await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  const first = await signIn(clientId, username);
  const token = first.AuthenticationResult!.AccessToken!;
  const { SecretCode } = await c.anon.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
  await c.anon.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totp(SecretCode!) }));
  await c.anon.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  clock.advance(30_000);
  return { clientId, username, secret: SecretCode! };
}

const signIn = (clientId: string, username: string) =>
  c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PASSWORD } }));

const answer = (clientId: string, out: InitiateAuthCommandOutput, username: string, code: string) =>
  c.anon.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: out.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
    }),
  );

describe('MFA code guessing', () => {
  // Fixed in services/sign-in.ts: the lockout count was cleared when the
  // password was accepted, before the MFA step, so an attacker holding the
  // password got four fresh TOTP guesses per sign-in without end (and the hard
  // stop at 100 never came). It is now cleared only when tokens are issued.
  it('a right password does not reset the count of wrong MFA codes', async () => {
    const { clientId, username, secret } = await totpUser();
    const first = await signIn(clientId, username);
    assert.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    for (let i = 0; i < 4; i++) {
      await assert.rejects(answer(clientId, first, username, wrongCode(secret)), {
        name: 'CodeMismatchException',
        message: 'Invalid code or auth state for the user.',
      });
    }
    // The password again, then a fifth wrong code: that is five in a row, and the account locks.
    const second = await signIn(clientId, username);
    assert.equal(second.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    await assert.rejects(answer(clientId, second, username, wrongCode(secret)), {
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    await assert.rejects(answer(clientId, second, username, totp(secret)), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
  });

  it('a completed sign-in (tokens issued) still resets the count', async () => {
    const { clientId, username, secret } = await totpUser();
    const first = await signIn(clientId, username);
    for (let i = 0; i < 4; i++) {
      await assert.rejects(answer(clientId, first, username, wrongCode(secret)), {
        name: 'CodeMismatchException',
        message: 'Invalid code or auth state for the user.',
      });
    }
    const done = await answer(clientId, first, username, totp(secret));
    assert.ok(done.AuthenticationResult?.AccessToken);
    clock.advance(30_000);
    // Four more wrong codes after the reset lock nothing: the right one still signs in.
    const second = await signIn(clientId, username);
    for (let i = 0; i < 4; i++) {
      await assert.rejects(answer(clientId, second, username, wrongCode(secret)), {
        name: 'CodeMismatchException',
        message: 'Invalid code or auth state for the user.',
      });
    }
    const again = await answer(clientId, second, username, totp(secret));
    assert.ok(again.AuthenticationResult?.AccessToken);
    clock.advance(30_000);
  });

  it('right codes leave no failure behind: many MFA sign-ins in a row never lock or approach the hard stop', async () => {
    const { clientId, username, secret } = await totpUser();
    for (let i = 0; i < 7; i++) {
      const out = await signIn(clientId, username);
      const done = await answer(clientId, out, username, totp(secret));
      assert.ok(done.AuthenticationResult?.AccessToken, `sign-in ${i + 1}`);
      clock.advance(30_000);
    }
    const row = await c.deps.store.db
      .selectFrom('users')
      .select(['failed_attempts', 'consecutive_failures', 'locked_until'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    assert.deepEqual([Number(row.failed_attempts), Number(row.consecutive_failures), row.locked_until], [0, 0, null]);
  });

  // Fixed in services/sign-in.ts (takeCodeGuess): the lockout was checked on
  // the user as read before the comparison and failures counted after it, so
  // a burst of parallel answers on one session all got compared. Each guess
  // is now counted (and the lock it earns set) before it is compared.
  it('a burst of parallel wrong codes gets five compared and the rest refused as locked', async () => {
    const { clientId, username, secret } = await totpUser();
    const out = await signIn(clientId, username);
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => answer(clientId, out, username, wrongCode(secret))));
    const names = results.map((r) => (r.status === 'rejected' ? `${(r.reason as Error).name}: ${(r.reason as Error).message}` : 'signed in'));
    assert.equal(names.filter((n) => n === 'CodeMismatchException: Invalid code or auth state for the user.').length, 5, names.join('\n'));
    assert.equal(names.filter((n) => n === 'NotAuthorizedException: Password attempts exceeded').length, 25, names.join('\n'));
    // While the lock lasts, even the right code is refused.
    await assert.rejects(answer(clientId, out, username, totp(secret)), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    clock.advance(30_000);
  });
});
