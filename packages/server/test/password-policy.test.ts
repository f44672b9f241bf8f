import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type PasswordPolicyType,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognateCall } from './helpers/cognate.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Passwords that meet Cognito's default policy, are in no common list, and
// contain no username, email or pool name used here.
const TEMP = 'Tamarind-Oak-0!';
const P1 = 'Umbra-Teal-1x';
const P2 = 'Ochre-Fern-2y';
const P3 = 'Slate-Moss-3z';
const P4 = 'Amber-Reed-4w';

const REUSED = { name: 'PasswordHistoryPolicyViolationException', message: 'Password has previously been used' };
const invalid = (rule: string, via: 'public' | 'admin' = 'public') => ({
  name: 'InvalidPasswordException',
  message: `Password did not conform with ${via === 'admin' ? 'password ' : ''}policy: ${rule}`,
});

describe('password policy: history, personal words, common passwords', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  let n = 0;
  const fresh = (tag: string) => `${tag}${++n}`;

  const newPool = async (policy: PasswordPolicyType = {}, poolName = 'Birdwatch') => {
    const Policies = {
      PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, ...policy },
    };
    const poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: poolName, Policies }))).UserPool!.Id!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    return { poolId, clientId: client.UserPoolClient!.ClientId! };
  };
  type P = Awaited<ReturnType<typeof newPool>>;

  /** Opts the pool into Cognate's rules beyond Cognito's (off by default). */
  const optIn = async (pool: P, checks: { RejectContextWords: boolean; RejectCommonPasswords: boolean }) => {
    const res = await cognateCall(c.url, 'SetPasswordChecks', { UserPoolId: pool.poolId, ...checks }, c.credentials);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  const setPassword = (pool: P, username: string, password: string, permanent = true) =>
    c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: password, Permanent: permanent }));

  /** A user with a verified email, invited with TEMP (history: TEMP), then given `password` for good. */
  const confirmedUser = async (pool: P, password = P1, email = `${fresh('wren')}@example.com`) => {
    const username = fresh('kestrel');
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: username,
        TemporaryPassword: TEMP,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await setPassword(pool, username, password);
    return { username, email };
  };

  const signIn = (pool: P, username: string, password: string) =>
    c.anon.send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );
  const tokensFor = async (pool: P, username: string, password: string) => (await signIn(pool, username, password)).AuthenticationResult!;

  const historyRows = (username: string, poolId: string) =>
    c.deps.store.db
      .selectFrom('password_history')
      .innerJoin('users', 'users.sub', 'password_history.sub')
      .select(['password_history.password_hash', 'password_history.seq'])
      .where('users.pool_id', '=', poolId)
      .where('users.username', '=', username)
      .execute();

  describe('PasswordHistorySize', () => {
    let pool: P;
    before(async () => {
      pool = await newPool({ PasswordHistorySize: 2 });
    });

    it('AdminSetUserPassword refuses the last n passwords (temporary or permanent), allows the one before them, and writes nothing when it refuses', async () => {
      const { username } = await confirmedUser(pool); // TEMP, then P1
      await assert.rejects(setPassword(pool, username, P1), REUSED);
      await assert.rejects(setPassword(pool, username, TEMP, false), REUSED);
      assert.ok((await tokensFor(pool, username, P1)).AccessToken, 'the refused call changed nothing');
      await setPassword(pool, username, P2); // history now P2 (current), P1
      await assert.rejects(setPassword(pool, username, P1, false), REUSED);
      await setPassword(pool, username, P3); // P3, P2: P1 is beyond n = 2
      await setPassword(pool, username, P1);
      assert.ok((await tokensFor(pool, username, P1)).AccessToken);
    });

    it('ChangePassword refuses the current and the previous password, but only once the previous password is proven', async () => {
      const { username } = await confirmedUser(pool);
      const { AccessToken } = await tokensFor(pool, username, P1);
      const change = (previous: string, proposed: string) =>
        c.anon.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: previous, ProposedPassword: proposed }));
      await assert.rejects(change(P4, P1), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      await assert.rejects(change(P1, P1), REUSED);
      await assert.rejects(change(P1, TEMP), REUSED);
      await change(P1, P2);
      assert.ok((await tokensFor(pool, username, P2)).AccessToken);
      await assert.rejects(change(P2, P1), REUSED);
    });

    it('ConfirmForgotPassword refuses a recent password after checking the code, and the code still works for another password', async () => {
      const { username, email } = await confirmedUser(pool);
      await c.anon.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: username }));
      const code = await c.inbox.nextCode(email);
      const confirm = (ConfirmationCode: string, Password: string) =>
        c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: username, ConfirmationCode, Password }));
      await assert.rejects(confirm(code === '000000' ? '111111' : '000000', P1), { name: 'CodeMismatchException' });
      await assert.rejects(confirm(code, P1), REUSED);
      await confirm(code, P2);
      assert.ok((await tokensFor(pool, username, P2)).AccessToken);
    });

    it('NEW_PASSWORD_REQUIRED (RespondToAuthChallenge) refuses the temporary password and recent ones, and the session stays usable', async () => {
      const { username } = await confirmedUser(pool); // TEMP, P1
      await setPassword(pool, username, P2, false); // temporary P2; history P2, P1
      const step = await signIn(pool, username, P2);
      assert.equal(step.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const respond = (password: string) =>
        c.anon.send(
          new RespondToAuthChallengeCommand({
            ClientId: pool.clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: step.Session,
            ChallengeResponses: { USERNAME: username, NEW_PASSWORD: password },
          }),
        );
      await assert.rejects(respond(P2), REUSED);
      await assert.rejects(respond(P1), REUSED);
      assert.ok((await respond(P3)).AuthenticationResult?.AccessToken);
    });

    it('NEW_PASSWORD_REQUIRED (AdminRespondToAuthChallenge) refuses the temporary password', async () => {
      const username = fresh('invitee');
      await c.admin.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, TemporaryPassword: TEMP, MessageAction: 'SUPPRESS' }));
      const step = await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool.poolId,
          ClientId: pool.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: TEMP },
        }),
      );
      const respond = (password: string) =>
        c.admin.send(
          new AdminRespondToAuthChallengeCommand({
            UserPoolId: pool.poolId,
            ClientId: pool.clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: step.Session,
            ChallengeResponses: { USERNAME: username, NEW_PASSWORD: password },
          }),
        );
      await assert.rejects(respond(TEMP), REUSED);
      assert.ok((await respond(P1)).AuthenticationResult?.AccessToken);
    });

    it('keeps only argon2id hashes, the newest 24 per user, and forgets them with the user', async () => {
      const off = await newPool();
      const { username } = await confirmedUser(off);
      for (let i = 0; i < 26; i++) await setPassword(off, username, `Umbra-Teal-${i}x`);
      const rows = await historyRows(username, off.poolId);
      assert.equal(rows.length, 24);
      for (const row of rows) {
        assert.match(row.password_hash, /^\$argon2id\$/);
        assert.ok(!row.password_hash.includes('Umbra-Teal'), 'no plaintext');
      }
      assert.equal(Math.min(...rows.map((r) => Number(r.seq))), 27 - 24 + 1, 'the oldest went first: 27 replaced passwords (TEMP, P1, 25 of the loop)');
      await c.admin.send(new AdminDeleteUserCommand({ UserPoolId: off.poolId, Username: username }));
      assert.equal((await historyRows(username, off.poolId)).length, 0);
    });
  });

  describe('PasswordHistorySize 0 or unset', () => {
    it('lets a user set the same password again through every operation', async () => {
      const pool = await newPool({ PasswordHistorySize: 0 });
      const { username } = await confirmedUser(pool);
      await setPassword(pool, username, P1);
      const { AccessToken } = await tokensFor(pool, username, P1);
      await c.anon.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: P1, ProposedPassword: P1 }));
      assert.ok((await tokensFor(pool, username, P1)).AccessToken);
    });

    it('is read from the pool at every call: turning it on later covers passwords set while it was off', async () => {
      const pool = await newPool();
      const { username } = await confirmedUser(pool);
      await setPassword(pool, username, P2);
      await setPassword(pool, username, P1);
      const stored = (await c.deps.store.pools.pool(pool.poolId))!;
      const policy = stored.settings.Policies!.PasswordPolicy!;
      await c.deps.store.pools.updatePool({
        ...stored,
        settings: { ...stored.settings, Policies: { ...stored.settings.Policies, PasswordPolicy: { ...policy, PasswordHistorySize: 3 } } },
      });
      await assert.rejects(setPassword(pool, username, P2), REUSED);
      await setPassword(pool, username, P3);
    });
  });

  describe('no username, email address or pool name inside (RejectContextWords)', () => {
    let pool: P;
    before(async () => {
      pool = await newPool({}, 'Birdwatch');
      await optIn(pool, { RejectContextWords: true, RejectCommonPasswords: false });
    });

    it('SignUp refuses the username and the email (or its local part) in any case, and creates no user', async () => {
      const username = fresh('falconer');
      const signUp = (password: string) =>
        c.anon.send(
          new SignUpCommand({
            ClientId: pool.clientId,
            Username: username,
            Password: password,
            UserAttributes: [{ Name: 'email', Value: 'wren.fisher@example.com' }],
          }),
        );
      await assert.rejects(signUp(`${username.toUpperCase()}-x1!`), invalid('Password must not contain the username'));
      await assert.rejects(signUp('Wren.Fisher-99!'), invalid('Password must not contain the email address'));
      await assert.rejects(signUp('x1!WREN.FISHER@example.com'), invalid('Password must not contain the email address'));
      await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      await signUp(P1);
    });

    it('AdminCreateUser and AdminSetUserPassword refuse the pool name and the username in the admin wording', async () => {
      const username = fresh('heron');
      await assert.rejects(
        c.admin.send(
          new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, TemporaryPassword: 'BirdWatch-2024!', MessageAction: 'SUPPRESS' }),
        ),
        invalid('Password must not contain the user pool name', 'admin'),
      );
      const { username: existing } = await confirmedUser(pool);
      await assert.rejects(setPassword(pool, existing, `Zz9!${existing}`), invalid('Password must not contain the username', 'admin'));
    });

    it('ChangePassword, ConfirmForgotPassword and NEW_PASSWORD_REQUIRED refuse them too', async () => {
      const { username, email } = await confirmedUser(pool);
      const { AccessToken } = await tokensFor(pool, username, P1);
      await assert.rejects(
        c.anon.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: P1, ProposedPassword: `Q1!${username}` })),
        invalid('Password must not contain the username'),
      );
      await c.anon.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: username }));
      const code = await c.inbox.nextCode(email);
      await assert.rejects(
        c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: username, ConfirmationCode: code, Password: `Q1!${email}` })),
        invalid('Password must not contain the email address'),
      );
      await setPassword(pool, username, P2, false);
      const step = await signIn(pool, username, P2);
      await assert.rejects(
        c.anon.send(
          new RespondToAuthChallengeCommand({
            ClientId: pool.clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: step.Session,
            ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Birdwatch-99!' },
          }),
        ),
        invalid('Password must not contain the user pool name'),
      );
    });

    it('does not refuse names shorter than 4 characters', async () => {
      await c.admin.send(
        new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'amy', TemporaryPassword: 'Amy-Tamarind-9!', MessageAction: 'SUPPRESS' }),
      );
    });
  });

  describe('common passwords (RejectCommonPasswords)', () => {
    let pool: P;
    before(async () => {
      pool = await newPool();
      await optIn(pool, { RejectContextWords: false, RejectCommonPasswords: true });
    });

    it('SignUp and AdminCreateUser refuse a password from the common list, whatever its case', async () => {
      await assert.rejects(
        c.anon.send(new SignUpCommand({ ClientId: pool.clientId, Username: fresh('owl'), Password: 'P@ssw0rd' })),
        invalid('Password is too common'),
      );
      await assert.rejects(
        c.admin.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: fresh('owl'), TemporaryPassword: '1qaz@WSX', MessageAction: 'SUPPRESS' })),
        invalid('Password is too common', 'admin'),
      );
    });

    it('AdminSetUserPassword, ChangePassword, ConfirmForgotPassword and NEW_PASSWORD_REQUIRED refuse it too', async () => {
      const { username, email } = await confirmedUser(pool);
      await assert.rejects(setPassword(pool, username, 'Pa$$w0rd'), invalid('Password is too common', 'admin'));
      const { AccessToken } = await tokensFor(pool, username, P1);
      await assert.rejects(
        c.anon.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: P1, ProposedPassword: 'P@ssw0rd' })),
        invalid('Password is too common'),
      );
      await c.anon.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: username }));
      const code = await c.inbox.nextCode(email);
      await assert.rejects(
        c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: username, ConfirmationCode: code, Password: 'P@ssw0rd' })),
        invalid('Password is too common'),
      );
      await setPassword(pool, username, P2, false);
      const step = await signIn(pool, username, P2);
      await assert.rejects(
        c.anon.send(
          new RespondToAuthChallengeCommand({
            ClientId: pool.clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: step.Session,
            ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'P@ssw0rd' },
          }),
        ),
        invalid('Password is too common'),
      );
    });
  });

  describe("Cognito's own rules", () => {
    it('answer with Cognito messages, public and admin wording', async () => {
      const pool = await newPool({ MinimumLength: 10 });
      const signUp = (password: string) => c.anon.send(new SignUpCommand({ ClientId: pool.clientId, Username: fresh('lark'), Password: password }));
      await assert.rejects(signUp('Aa1!aaaaa'), invalid('Password not long enough'));
      await assert.rejects(signUp('AA1!AAAAAA'), invalid('Password must have lowercase characters'));
      await assert.rejects(signUp('aa1!aaaaaa'), invalid('Password must have uppercase characters'));
      await assert.rejects(signUp('Aa!aaaaaaa'), invalid('Password must have numeric characters'));
      await assert.rejects(signUp('Aa1aaaaaaa'), invalid('Password must have symbol characters'));
      const { username } = await confirmedUser(pool, 'Umbra-Teal-10x');
      await assert.rejects(setPassword(pool, username, 'Aa1!aaaaa'), invalid('Password not long enough', 'admin'));
    });
  });
});
