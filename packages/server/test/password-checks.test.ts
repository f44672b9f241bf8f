import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognateCall } from './helpers/cognate.ts';
import { attrs, createPoolAndClient } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Cognate's password rules beyond Cognito's (context words, the common list)
// are opt-in: by default a pool accepts what Cognito accepts. The two
// passwords below are the seed's, refused by Cognate before the change.
const SEED_EMAIL = 'seed@example.com';
const SEED_PASSWORD = 'Seed-Verify-1!';
const TEMP_USER = 'temp';
const TEMP_PASSWORD = 'Temp-Srp-1!';

const invalid = (rule: string, via: 'public' | 'admin' = 'public') => ({
  name: 'InvalidPasswordException',
  message: `Password did not conform with ${via === 'admin' ? 'password ' : ''}policy: ${rule}`,
});

/** The seed's pool: email as the username, an app client for sign-up. */
const seedPool = (c: Running) => createPoolAndClient(c, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] } });

const signUpSeed = (c: Running, clientId: string) =>
  c.anon.send(new SignUpCommand({ ClientId: clientId, Username: SEED_EMAIL, Password: SEED_PASSWORD, UserAttributes: attrs({ email: SEED_EMAIL }) }));
const createTemp = (c: Running, poolId: string) =>
  c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: TEMP_USER, TemporaryPassword: TEMP_PASSWORD, MessageAction: 'SUPPRESS' }));

const cognate = async (c: Running, operation: string, input: object | string) => cognateCall(c.url, operation, input, c.credentials);
const checksOf = async (c: Running, poolId: string) => {
  const res = await cognate(c, 'GetPasswordChecks', { UserPoolId: poolId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
const setChecks = async (c: Running, poolId: string, RejectContextWords: boolean, RejectCommonPasswords: boolean) => {
  const res = await cognate(c, 'SetPasswordChecks', { UserPoolId: poolId, RejectContextWords, RejectCommonPasswords });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, { UserPoolId: poolId, RejectContextWords, RejectCommonPasswords });
};

describe("password checks: Cognito's rules by default, Cognate's extra rules opt-in", () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  it('a new pool applies no extra rule (GetPasswordChecks answers both off)', async () => {
    const { poolId } = await seedPool(c);
    assert.deepEqual(await checksOf(c, poolId), { UserPoolId: poolId, RejectContextWords: false, RejectCommonPasswords: false });
  });

  it('by default SignUp accepts Seed-Verify-1! for seed@example.com, as Cognito does', async () => {
    const { clientId } = await seedPool(c);
    const out = await signUpSeed(c, clientId);
    assert.equal(out.UserConfirmed, false);
  });

  it('by default AdminCreateUser and AdminSetUserPassword accept Temp-Srp-1! for user temp, as Cognito does', async () => {
    const { poolId } = await createPoolAndClient(c);
    await createTemp(c, poolId);
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: TEMP_USER, Password: TEMP_PASSWORD, Permanent: true }));
  });

  it("by default accepts a common password that meets the pool's policy", async () => {
    const { clientId } = await createPoolAndClient(c);
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'owl', Password: 'P@ssw0rd' }));
  });

  it('RejectContextWords refuses Seed-Verify-1! for seed@example.com and Temp-Srp-1! for temp with InvalidPasswordException', async () => {
    const seed = await seedPool(c);
    await setChecks(c, seed.poolId, true, false);
    await assert.rejects(signUpSeed(c, seed.clientId), invalid('Password must not contain the email address'));
    const temp = await createPoolAndClient(c);
    await setChecks(c, temp.poolId, true, false);
    await assert.rejects(createTemp(c, temp.poolId), invalid('Password must not contain the username', 'admin'));
    assert.deepEqual(await checksOf(c, temp.poolId), { UserPoolId: temp.poolId, RejectContextWords: true, RejectCommonPasswords: false });
  });

  it('RejectCommonPasswords refuses a common password; turning it off again accepts it', async () => {
    const { poolId, clientId } = await createPoolAndClient(c);
    await setChecks(c, poolId, false, true);
    const signUp = (Username: string) => c.anon.send(new SignUpCommand({ ClientId: clientId, Username, Password: 'P@ssw0rd' }));
    await assert.rejects(signUp('owl1'), invalid('Password is too common'));
    await setChecks(c, poolId, false, false);
    await signUp('owl2');
  });

  it('SetPasswordChecks and GetPasswordChecks validate their input and need an existing pool', async () => {
    const { poolId } = await createPoolAndClient(c);
    const fails = async (operation: string, input: object, expected: { name: string; message?: string }) => {
      const res = await cognate(c, operation, input);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body['__type'], expected.name);
      if (expected.message !== undefined) assert.equal(res.body['message'], expected.message);
    };
    await fails(
      'SetPasswordChecks',
      { UserPoolId: poolId, RejectContextWords: true },
      {
        name: 'InvalidParameterException',
        message: "1 validation error detected: Value null at 'rejectCommonPasswords' failed to satisfy constraint: Member must not be null",
      },
    );
    await fails(
      'SetPasswordChecks',
      { UserPoolId: poolId, RejectContextWords: 'true', RejectCommonPasswords: false },
      {
        name: 'SerializationException',
        message: 'STRING_VALUE can not be converted to a Boolean',
      },
    );
    await fails(
      'SetPasswordChecks',
      { UserPoolId: 'us-east-1_nope', RejectContextWords: true, RejectCommonPasswords: true },
      { name: 'ResourceNotFoundException' },
    );
    await fails('GetPasswordChecks', { UserPoolId: 'us-east-1_nope' }, { name: 'ResourceNotFoundException' });
    assert.deepEqual(
      await checksOf(c, poolId),
      { UserPoolId: poolId, RejectContextWords: false, RejectCommonPasswords: false },
      'the refused calls changed nothing',
    );
  });
});

describe('--password-extra-checks: the default for new pools', () => {
  let c: Running;
  before(async () => {
    c = await startCognate({ config: { passwordExtraChecks: true } });
  });
  after(() => c.stop());

  it('gives a new pool both extra rules, which refuse the seed passwords', async () => {
    const seed = await seedPool(c);
    assert.deepEqual(await checksOf(c, seed.poolId), { UserPoolId: seed.poolId, RejectContextWords: true, RejectCommonPasswords: true });
    await assert.rejects(signUpSeed(c, seed.clientId), invalid('Password must not contain the email address'));
    const temp = await createPoolAndClient(c);
    await assert.rejects(createTemp(c, temp.poolId), invalid('Password must not contain the username', 'admin'));
    await assert.rejects(c.anon.send(new SignUpCommand({ ClientId: temp.clientId, Username: 'owl', Password: 'P@ssw0rd' })), invalid('Password is too common'));
  });

  it('lets a pool opt out of the flag with SetPasswordChecks', async () => {
    const seed = await seedPool(c);
    await setChecks(c, seed.poolId, false, false);
    await signUpSeed(c, seed.clientId);
  });
});
