import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { decodeJwt } from 'jose';
import {
  AddUserPoolClientSecretCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { attrs, createClient, createConfirmedUser, createPool, passwordSignIn } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const TEMP = 'Temp0rary!';
const secretHash = (secret: string, username: string, clientId: string) =>
  createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

/** Helpers over one running server. */
function kit(get: () => Running) {
  const newPool = (input: Partial<CreateUserPoolCommandInput> = {}) => createPool(get(), input);
  const newClient = (poolId: string, input: Partial<CreateUserPoolClientCommandInput> = {}) =>
    createClient(get(), poolId, { ExplicitAuthFlows: [...FLOWS], ...input });
  /** A user created by the operator with a temporary password (FORCE_CHANGE_PASSWORD). */
  const tempUser = (poolId: string, username: string, extra: Record<string, string> = {}) =>
    get().admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: TEMP, MessageAction: 'SUPPRESS', UserAttributes: attrs(extra) }),
    );
  const confirmedUser = async (poolId: string, username: string, extra: Record<string, string> = {}) => {
    await createConfirmedUser(get(), poolId, username, { temporaryPassword: TEMP, password: PASSWORD, attributes: attrs(extra) });
  };
  const signIn = (clientId: string, username: string, password = PASSWORD, extra: Record<string, string> = {}) =>
    passwordSignIn(get(), clientId, username, password, extra);
  return { newPool, newClient, tempUser, confirmedUser, signIn };
}

describe('app clients', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());
  const { newPool, newClient, tempUser, confirmedUser, signIn } = kit(() => c);
  const describeClient = async (poolId: string, clientId: string) =>
    (await c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;

  describe('UpdateUserPoolClient', () => {
    it('resets every setting the request leaves out to its default, keeping the name and the secret', async () => {
      const poolId = await newPool();
      const { clientId, secret } = await newClient(poolId, {
        ClientName: 'original',
        GenerateSecret: true,
        ReadAttributes: ['email', 'name'],
        WriteAttributes: ['name'],
        AccessTokenValidity: 2,
        TokenValidityUnits: { AccessToken: 'hours' },
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: false,
        AuthSessionValidity: 10,
      });
      const out = await c.admin.send(
        new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
      );
      const client = await describeClient(poolId, clientId);
      assert.deepEqual(out.UserPoolClient, client);
      assert.equal(client.ClientName, 'original');
      assert.equal(client.ClientSecret, secret);
      assert.deepEqual(client.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH']);
      assert.equal(client.ReadAttributes, undefined);
      assert.equal(client.WriteAttributes, undefined);
      assert.equal(client.AccessTokenValidity, 60);
      assert.equal(client.TokenValidityUnits?.AccessToken, 'minutes');
      assert.equal(client.PreventUserExistenceErrors, 'LEGACY');
      assert.equal(client.EnableTokenRevocation, true);
      assert.equal(client.AuthSessionValidity, 3);
    });

    it('renames the client when ClientName is given', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId);
      await c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ClientName: 'renamed' }));
      assert.equal((await describeClient(poolId, clientId)).ClientName, 'renamed');
    });

    it('applies the new settings on the next call (a flow turned on works at once)', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] });
      await confirmedUser(poolId, 'kim');
      await assert.rejects(signIn(clientId, 'kim'), { name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
      await c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
      assert.ok((await signIn(clientId, 'kim')).AuthenticationResult?.AccessToken);
    });

    it('refuses read or write attributes outside the schema, changing nothing', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { ReadAttributes: ['email'] });
      await assert.rejects(c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, WriteAttributes: ['custom:nope'] })), {
        name: 'InvalidParameterException',
        message: 'Invalid write attributes specified while updating a client',
      });
      await assert.rejects(c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ReadAttributes: ['custom:nope'] })), {
        name: 'InvalidParameterException',
        message: 'Invalid read attributes specified while updating a client',
      });
      await assert.rejects(newClient(poolId, { WriteAttributes: ['sub'] }), {
        name: 'InvalidParameterException',
        message: 'Invalid write attributes specified while creating a client',
      });
      assert.deepEqual((await describeClient(poolId, clientId)).ReadAttributes, ['email']);
    });

    it('answers ResourceNotFoundException for a client of another pool', async () => {
      const poolId = await newPool();
      const other = await newPool();
      const { clientId } = await newClient(other);
      await assert.rejects(c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })), {
        name: 'ResourceNotFoundException',
        message: `User pool client ${clientId} does not exist.`,
      });
    });
  });

  describe('DeleteUserPoolClient', () => {
    it("deletes the client; its refresh and access tokens stop working, other clients' keep working", async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId);
      const { clientId: keptId } = await newClient(poolId);
      await confirmedUser(poolId, 'lee');
      const gone = (await signIn(clientId, 'lee')).AuthenticationResult!;
      const kept = (await signIn(keptId, 'lee')).AuthenticationResult!;
      await c.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));

      await assert.rejects(describeClient(poolId, clientId), { name: 'ResourceNotFoundException', message: `User pool client ${clientId} does not exist.` });
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: gone.AccessToken! })), {
        name: 'NotAuthorizedException',
        message: 'Invalid Access Token',
      });
      await assert.rejects(
        c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: gone.RefreshToken! } })),
        { name: 'ResourceNotFoundException', message: `User pool client ${clientId} does not exist.` },
      );
      const sessions = await c.deps.store.db.selectFrom('sessions').select('origin_jti').where('client_id', '=', clientId).execute();
      assert.equal(sessions.length, 0);
      assert.equal((await c.anon.send(new GetUserCommand({ AccessToken: kept.AccessToken! }))).Username, 'lee');
    });
  });

  describe('client secrets', () => {
    it('adds a second secret, lists both without values, accepts SECRET_HASH from either, and retires the first', async () => {
      const poolId = await newPool();
      const { clientId, secret: first } = await newClient(poolId, { GenerateSecret: true });
      await confirmedUser(poolId, 'max');
      const withSecret = (secret: string) => signIn(clientId, 'max', PASSWORD, { SECRET_HASH: secretHash(secret, 'max', clientId) });

      const added = await c.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
      const second = added.ClientSecretDescriptor!.ClientSecretValue!;
      assert.equal(second.length, 51);
      assert.notEqual(second, first);
      assert.ok(added.ClientSecretDescriptor!.ClientSecretCreateDate instanceof Date);

      const listed = await c.admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(listed.ClientSecrets?.length, 2);
      assert.ok(listed.ClientSecrets!.every((s) => s.ClientSecretId && s.ClientSecretValue === undefined));
      assert.equal(listed.ClientSecrets![1]!.ClientSecretId, added.ClientSecretDescriptor!.ClientSecretId);

      assert.ok((await withSecret(first!)).AuthenticationResult);
      assert.ok((await withSecret(second)).AuthenticationResult);

      await assert.rejects(c.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId })), {
        name: 'LimitExceededException',
        message: `Client ${clientId} already has 2 client secrets; delete one before adding another.`,
      });

      const firstId = listed.ClientSecrets![0]!.ClientSecretId!;
      await c.admin.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: firstId }));
      await assert.rejects(withSecret(first!), { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` });
      assert.ok((await withSecret(second)).AuthenticationResult);
      assert.equal((await describeClient(poolId, clientId)).ClientSecret, second);

      // RevokeToken takes the secret itself: the new one is accepted.
      const tokens = (await withSecret(second)).AuthenticationResult!;
      await c.anon.send(new RevokeTokenCommand({ ClientId: clientId, ClientSecret: second, Token: tokens.RefreshToken! }));
    });

    it('refuses to delete the last secret, or one the client does not have', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { GenerateSecret: true });
      const [only] = (await c.admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))).ClientSecrets!;
      await assert.rejects(
        c.admin.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: only!.ClientSecretId! })),
        {
          name: 'InvalidParameterException',
          message: 'The last remaining client secret of an app client cannot be deleted.',
        },
      );
      await assert.rejects(c.admin.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: 'nosuchsecret' })), {
        name: 'ResourceNotFoundException',
        message: 'Client secret nosuchsecret does not exist.',
      });
    });

    it('takes a caller-chosen secret without echoing it, and refuses secrets for a public client', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { GenerateSecret: true });
      await confirmedUser(poolId, 'ned');
      const chosen = 'my_own_secret_value_0123456789';
      const added = await c.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecret: chosen }));
      assert.equal(added.ClientSecretDescriptor?.ClientSecretValue, undefined);
      assert.ok((await signIn(clientId, 'ned', PASSWORD, { SECRET_HASH: secretHash(chosen, 'ned', clientId) })).AuthenticationResult);

      const { clientId: publicId } = await newClient(poolId);
      await assert.rejects(c.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: publicId })), {
        name: 'InvalidParameterException',
        message: `Client ${publicId} has no client secret: secrets can be added only to confidential clients.`,
      });
      assert.deepEqual((await c.admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: publicId }))).ClientSecrets, []);
    });

    it('requires SECRET_HASH on every flow that names a user when the client has a secret', async () => {
      const poolId = await newPool({ AutoVerifiedAttributes: ['email'] });
      const { clientId, secret } = await newClient(poolId, { GenerateSecret: true });
      await confirmedUser(poolId, 'ola', { email: 'ola@example.com', email_verified: 'true' });
      await tempUser(poolId, 'pia');
      const missing = { name: 'NotAuthorizedException', message: `Client ${clientId} is configured with secret but SECRET_HASH was not received` };
      const tokens = (await signIn(clientId, 'ola', PASSWORD, { SECRET_HASH: secretHash(secret!, 'ola', clientId) })).AuthenticationResult!;
      const challenge = await signIn(clientId, 'pia', TEMP, { SECRET_HASH: secretHash(secret!, 'pia', clientId) });
      assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const adminChallenge = await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'pia', PASSWORD: TEMP, SECRET_HASH: secretHash(secret!, 'pia', clientId) },
        }),
      );

      // Thunks: each call starts only when awaited.
      const calls: [string, () => Promise<unknown>][] = [
        [
          'SignUp',
          () =>
            c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'new', Password: PASSWORD, UserAttributes: attrs({ email: 'new@example.com' }) })),
        ],
        ['ConfirmSignUp', () => c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ola', ConfirmationCode: '123456' }))],
        ['ResendConfirmationCode', () => c.anon.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ola' }))],
        ['ForgotPassword', () => c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ola' }))],
        [
          'ConfirmForgotPassword',
          () => c.anon.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'ola', ConfirmationCode: '123456', Password: PASSWORD })),
        ],
        ['USER_PASSWORD_AUTH', () => signIn(clientId, 'ola')],
        [
          'USER_SRP_AUTH',
          () => c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ola', SRP_A: 'abcd' } })),
        ],
        [
          'REFRESH_TOKEN_AUTH',
          () =>
            c.anon.send(
              new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
            ),
        ],
        [
          'ADMIN_USER_PASSWORD_AUTH',
          () =>
            c.admin.send(
              new AdminInitiateAuthCommand({
                UserPoolId: poolId,
                ClientId: clientId,
                AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
                AuthParameters: { USERNAME: 'ola', PASSWORD },
              }),
            ),
        ],
        [
          'RespondToAuthChallenge',
          () =>
            c.anon.send(
              new RespondToAuthChallengeCommand({
                ClientId: clientId,
                ChallengeName: 'NEW_PASSWORD_REQUIRED',
                Session: challenge.Session!,
                ChallengeResponses: { USERNAME: 'pia', NEW_PASSWORD: PASSWORD },
              }),
            ),
        ],
        [
          'PASSWORD_VERIFIER',
          () =>
            c.anon.send(
              new RespondToAuthChallengeCommand({
                ClientId: clientId,
                ChallengeName: 'PASSWORD_VERIFIER',
                ChallengeResponses: { USERNAME: 'ola', PASSWORD_CLAIM_SECRET_BLOCK: 'x', PASSWORD_CLAIM_SIGNATURE: 'x', TIMESTAMP: 'x' },
              }),
            ),
        ],
        [
          'AdminRespondToAuthChallenge',
          () =>
            c.admin.send(
              new AdminRespondToAuthChallengeCommand({
                UserPoolId: poolId,
                ClientId: clientId,
                ChallengeName: 'NEW_PASSWORD_REQUIRED',
                Session: adminChallenge.Session!,
                ChallengeResponses: { USERNAME: 'pia', NEW_PASSWORD: PASSWORD },
              }),
            ),
        ],
      ];
      for (const [what, call] of calls) {
        await assert.rejects(call(), missing, what);
      }
    });
  });

  describe('ReadAttributes and WriteAttributes', () => {
    it('lets a user write only the attributes in the client write list, through UpdateUserAttributes and SignUp', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { WriteAttributes: ['email', 'name'] });
      await confirmedUser(poolId, 'quinn');
      const tokens = (await signIn(clientId, 'quinn')).AuthenticationResult!;
      const unauthorized = { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' };
      await assert.rejects(
        c.anon.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: attrs({ nickname: 'q' }) })),
        unauthorized,
      );
      await assert.rejects(
        c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'rex', Password: PASSWORD, UserAttributes: attrs({ nickname: 'r' }) })),
        unauthorized,
      );
      await c.anon.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: attrs({ name: 'Quinn' }) }));
      assert.ok(
        (await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'rex', Password: PASSWORD, UserAttributes: attrs({ name: 'Rex' }) }))).UserSub,
      );
    });

    it('lets a client with no write list write any user-writable attribute', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId);
      await confirmedUser(poolId, 'sam');
      const tokens = (await signIn(clientId, 'sam')).AuthenticationResult!;
      await c.anon.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: attrs({ nickname: 's', name: 'Sam' }) }));
    });

    it('shows the user, and puts in the ID token, only the attributes in the client read list (and sub)', async () => {
      const poolId = await newPool();
      const { clientId } = await newClient(poolId, { ReadAttributes: ['email'] });
      await confirmedUser(poolId, 'tia', { email: 'tia@example.com', name: 'Tia', nickname: 't' });
      const tokens = (await signIn(clientId, 'tia')).AuthenticationResult!;
      const user = await c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
      assert.deepEqual(user.UserAttributes?.map((a) => a.Name).sort(), ['email', 'sub']);
      const claims = decodeJwt(tokens.IdToken!);
      assert.equal(claims['email'], 'tia@example.com');
      assert.equal(claims['name'], undefined);
      assert.equal(claims['nickname'], undefined);
    });
  });
});

describe('AuthSessionValidity', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());
  const { newPool, newClient, tempUser, signIn } = kit(() => c);
  const answer = (clientId: string, username: string, session: string) =>
    c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: PASSWORD },
      }),
    );
  const expired = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' };

  it('keeps a challenge session open for the client AuthSessionValidity minutes, and no longer', async () => {
    const poolId = await newPool();
    const { clientId } = await newClient(poolId, { AuthSessionValidity: 5 });
    await tempUser(poolId, 'una');
    await tempUser(poolId, 'val');
    const early = (await signIn(clientId, 'una', TEMP)).Session!;
    const late = (await signIn(clientId, 'val', TEMP)).Session!;
    clock.advance(5 * 60_000 - 1000);
    assert.ok((await answer(clientId, 'una', early)).AuthenticationResult?.AccessToken);
    clock.advance(2000);
    await assert.rejects(answer(clientId, 'val', late), expired);
  });

  it('defaults to 3 minutes, and follows UpdateUserPoolClient', async () => {
    const poolId = await newPool();
    const { clientId } = await newClient(poolId);
    await tempUser(poolId, 'wes');
    const first = (await signIn(clientId, 'wes', TEMP)).Session!;
    clock.advance(3 * 60_000 + 1000);
    await assert.rejects(answer(clientId, 'wes', first), expired);

    await c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ExplicitAuthFlows: [...FLOWS], AuthSessionValidity: 15 }));
    const second = (await signIn(clientId, 'wes', TEMP)).Session!;
    clock.advance(14 * 60_000);
    assert.ok((await answer(clientId, 'wes', second)).AuthenticationResult?.AccessToken);
  });

  it('refuses a validity outside 3 to 15 minutes', async () => {
    const poolId = await newPool();
    for (const AuthSessionValidity of [2, 16]) {
      await assert.rejects(newClient(poolId, { AuthSessionValidity }), { name: 'InvalidParameterException' });
    }
  });
});
