import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';

// amazon-cognito-identity-js, unmodified, through SRP sign-in with TOTP MFA:
// enrolment during sign-in (mfaSetup → associateSoftwareToken →
// verifySoftwareToken, all through the sign-in Session) in a pool that
// requires MFA, then a later sign-in answered with sendMFACode(code, cb,
// 'SOFTWARE_TOKEN_MFA'). The server's clock is a fake close to real time (the
// library signs its SRP TIMESTAMP with the real one), advanced one TOTP step
// between codes so each code is new.

const PASSWORD = 'Passw0rd!';
const clock = new FakeClock(Date.now());
const totp = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: clock.now() });

type Outcome = { kind: 'signedIn'; session: CognitoUserSession } | { kind: 'mfaSetup' } | { kind: 'totpRequired'; name: string };

function authenticate(user: CognitoUser): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: PASSWORD }), {
      onSuccess: (session) => resolve({ kind: 'signedIn', session }),
      onFailure: (err: Error) => reject(err),
      mfaSetup: () => resolve({ kind: 'mfaSetup' }),
      totpRequired: (name: string) => resolve({ kind: 'totpRequired', name }),
    });
  });
}

describe('amazon-cognito-identity-js TOTP MFA against Cognate', () => {
  let c: Running;
  let pool: CognitoUserPool;
  before(async () => {
    c = await startCognate({ clock });
    const poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'identity-js-mfa' }))).UserPool!.Id!;
    await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: client.UserPoolClient!.ClientId!, endpoint: c.url });
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'tina', MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'tina', Password: PASSWORD, Permanent: true }));
  });
  after(() => c.stop());

  it('enrols an authenticator during SRP sign-in (MFA_SETUP), then signs in with sendMFACode(code, cb, "SOFTWARE_TOKEN_MFA")', async () => {
    const user = new CognitoUser({ Username: 'tina', Pool: pool });
    assert.equal((await authenticate(user)).kind, 'mfaSetup');
    const secret = await new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const enrolled = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.verifySoftwareToken(totp(secret), 'my phone', { onSuccess: resolve, onFailure: reject }),
    );
    assert.ok(enrolled.isValid());
    assert.equal(enrolled.getAccessToken().decodePayload()['username'], 'tina');

    clock.advance(30_000);
    const again = new CognitoUser({ Username: 'tina', Pool: pool });
    const outcome = await authenticate(again);
    assert.deepEqual(outcome, { kind: 'totpRequired', name: 'SOFTWARE_TOKEN_MFA' });
    const wrong = totp(secret) === '000000' ? '111111' : '000000';
    await assert.rejects(new Promise((resolve, reject) => again.sendMFACode(wrong, { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA')), {
      code: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      again.sendMFACode(totp(secret), { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA'),
    );
    assert.ok(session.isValid());
    assert.equal(session.getIdToken().decodePayload()['cognito:username'], 'tina');
  });
});
