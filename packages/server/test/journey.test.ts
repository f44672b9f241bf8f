import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startCognate, type Running } from './helpers/server.ts';

// The seed's whole journey through the real AWS SDK, with mail received by a
// real SMTP server: the pool and client as the seed configures them, then
// everything its app and its operator do.
describe("the seed's journey", () => {
  let c: Running;
  let poolId: string;
  let clientId: string;
  const email = 'andrew@example.com';
  let tokens: AuthenticationResultType;

  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  const signIn = async (username: string, password: string) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

  it('creates the pool and public client as the seed configures them', async () => {
    const pool = await c.admin.send(
      new CreateUserPoolCommand({
        PoolName: 'cruddur-user-pool',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Schema: [
          { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
          { Name: 'preferred_username', AttributeDataType: 'String', Required: true, Mutable: true },
        ],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
        MfaConfiguration: 'OFF',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      }),
    );
    poolId = pool.UserPool!.Id!;
    assert.match(poolId, /^us-east-1_[0-9A-Za-z]{9}$/);
    assert.equal(pool.UserPool!.Policies!.PasswordPolicy!.MinimumLength, 8);
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'cruddur',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient!.ClientId!;
    assert.match(clientId, /^[a-z0-9]{26}$/);
    assert.equal(client.UserPoolClient!.ClientSecret, undefined);
  });

  it('signs up with name and preferred_username, and confirms with the mailed code', async () => {
    const out = await c.anon.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: 'Testing1234!',
        UserAttributes: [
          { Name: 'name', Value: 'Andrew Brown' },
          { Name: 'preferred_username', Value: 'andrewbrown' },
        ],
      }),
    );
    assert.equal(out.UserConfirmed, false);
    assert.deepEqual(out.CodeDeliveryDetails, { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await c.inbox.nextCode(email);
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
  });

  it('signs in, and the tokens verify against the served JWKS', async () => {
    const out = await signIn(email, 'Testing1234!');
    tokens = out.AuthenticationResult!;
    assert.equal(tokens.TokenType, 'Bearer');
    assert.equal(tokens.ExpiresIn, 3600);
    const issuer = `${c.url}/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const access = await jwtVerify(tokens.AccessToken!, jwks, { issuer });
    assert.equal(access.payload['client_id'], clientId);
    assert.equal(access.payload['token_use'], 'access');
    const id = await jwtVerify(tokens.IdToken!, jwks, { issuer, audience: clientId });
    assert.equal(id.payload['email'], email);
    assert.equal(id.payload['email_verified'], true);
    assert.equal(id.payload['preferred_username'], 'andrewbrown');
  });

  it('refreshes, reads the user, and changes then verifies an attribute', async () => {
    const refreshed = await c.anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
    );
    assert.ok(refreshed.AuthenticationResult?.AccessToken);
    assert.equal(refreshed.AuthenticationResult?.RefreshToken, undefined);
    const me = await c.anon.send(new GetUserCommand({ AccessToken: refreshed.AuthenticationResult!.AccessToken! }));
    assert.equal(me.UserAttributes?.find((a) => a.Name === 'name')?.Value, 'Andrew Brown');

    await c.anon.send(
      new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: [{ Name: 'email', Value: 'andrew.new@example.com' }] }),
    );
    const code = await c.inbox.nextCode('andrew.new@example.com');
    await c.anon.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken!, AttributeName: 'email', Code: code }));
    const after = await c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
    assert.equal(after.UserAttributes?.find((a) => a.Name === 'email')?.Value, 'andrew.new@example.com');
    assert.equal(after.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
  });

  it('changes the password, then recovers it with the mailed code', async () => {
    await c.anon.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken!, PreviousPassword: 'Testing1234!', ProposedPassword: 'Changed-1234' }));
    await assert.rejects(signIn('andrew.new@example.com', 'Testing1234!'), { name: 'NotAuthorizedException' });
    await signIn('andrew.new@example.com', 'Changed-1234');

    const forgot = await c.anon.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'andrew.new@example.com' }));
    assert.equal(forgot.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    const code = await c.inbox.nextCode('andrew.new@example.com');
    await c.anon.send(
      new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'andrew.new@example.com', ConfirmationCode: code, Password: 'Recovered-1234' }),
    );
    const out = await signIn('andrew.new@example.com', 'Recovered-1234');
    tokens = out.AuthenticationResult!;
  });

  it('global sign-out makes the old access token fail on GetUser', async () => {
    await c.anon.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
    await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), {
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });

  it('admin-creates a user whose first sign-in must set a new password', async () => {
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'ops@example.com',
        TemporaryPassword: 'Temp-Pass1',
        UserAttributes: [
          { Name: 'name', Value: 'Ops' },
          { Name: 'preferred_username', Value: 'ops' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const first = await signIn('ops@example.com', 'Temp-Pass1');
    assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const done = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session!,
        ChallengeResponses: { USERNAME: first.ChallengeParameters!['USER_ID_FOR_SRP']!, NEW_PASSWORD: 'Final-Pass1' },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    const again = await signIn('ops@example.com', 'Final-Pass1');
    assert.ok(again.AuthenticationResult?.IdToken);
  });
});
