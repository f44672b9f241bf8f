import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SignUpCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';

describe('operator operations on pools, clients and users', () => {
  let c: Running;
  let missingPool: string;
  before(async () => {
    c = await startCognate();
    missingPool = `${c.deps.config.region}_Missing00`;
  });
  after(() => c.stop());

  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) => {
    const out = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }));
    return out.UserPool!.Id!;
  };
  const newClient = async (poolId: string, name = 'app', generateSecret = false) => {
    const out = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: name,
        GenerateSecret: generateSecret,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    return out.UserPoolClient!.ClientId!;
  };
  // Users are made the public way (SignUp, unsigned) and confirmed by the operator.
  const signUp = async (clientId: string, username: string, attrs: Record<string, string> = {}) => {
    const UserAttributes: AttributeType[] = Object.entries(attrs).map(([Name, Value]) => ({ Name, Value }));
    return (await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes }))).UserSub!;
  };
  const signIn = (clientId: string, username: string) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
  const refresh = (clientId: string, token: string) =>
    c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));

  describe('authentication', () => {
    it('refuses an operator operation sent without a signature with MissingAuthenticationTokenException', async () => {
      const poolId = await newPool();
      await assert.rejects(c.anon.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), { name: 'MissingAuthenticationTokenException' });
      await assert.rejects(c.anon.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'x' })), { name: 'MissingAuthenticationTokenException' });
    });
  });

  describe('DescribeUserPool', () => {
    it('describes a pool with its ARN, settings, dates and estimated number of users', async () => {
      const poolId = await newPool({ PoolName: 'described', AliasAttributes: ['email'] });
      const clientId = await newClient(poolId);
      await signUp(clientId, 'u1', { email: 'u1@example.com' });
      await signUp(clientId, 'u2');
      const { UserPool } = await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(UserPool?.Id, poolId);
      assert.equal(UserPool?.Name, 'described');
      assert.equal(UserPool?.Arn, `arn:aws:cognito-idp:${c.deps.config.region}:${c.deps.config.accountId}:userpool/${poolId}`);
      assert.deepEqual(UserPool?.AliasAttributes, ['email']);
      assert.equal(UserPool?.EstimatedNumberOfUsers, 2);
      assert.ok(UserPool?.CreationDate instanceof Date);
      assert.ok(UserPool?.LastModifiedDate instanceof Date);
    });

    it('answers ResourceNotFoundException for an unknown pool', async () => {
      await assert.rejects(c.admin.send(new DescribeUserPoolCommand({ UserPoolId: missingPool })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missingPool} does not exist.`,
      });
    });

    it('answers InvalidParameterException for a malformed pool ID', async () => {
      await assert.rejects(c.admin.send(new DescribeUserPoolCommand({ UserPoolId: 'not a pool id' })), {
        name: 'InvalidParameterException',
        message: /userPoolId/,
      });
    });
  });

  describe('ListUserPools', () => {
    it('pages through every pool exactly once, each as a UserPoolDescriptionType', async () => {
      const made = [await newPool({ PoolName: 'lp-a' }), await newPool({ PoolName: 'lp-b' }), await newPool({ PoolName: 'lp-c' })];
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const out = await c.admin.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken }));
        assert.ok((out.UserPools ?? []).length <= 2);
        for (const p of out.UserPools ?? []) {
          assert.deepEqual(Object.keys(p).sort(), ['CreationDate', 'Id', 'LambdaConfig', 'LastModifiedDate', 'Name']);
          assert.ok(p.CreationDate instanceof Date);
          seen.push(p.Id!);
        }
        NextToken = out.NextToken;
        pages++;
      } while (NextToken && pages < 100);
      assert.equal(new Set(seen).size, seen.length, 'no pool listed twice');
      for (const id of made) assert.ok(seen.includes(id));
      const all = await c.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.deepEqual(
        all.UserPools?.map((p) => p.Id),
        seen,
      );
      assert.equal(all.NextToken, undefined);
      assert.equal(all.UserPools?.find((p) => p.Id === made[1])?.Name, 'lp-b');
    });

    it('requires MaxResults between 1 and 60 (InvalidParameterException)', async () => {
      for (const MaxResults of [0, 61, undefined]) {
        await assert.rejects(c.admin.send(new ListUserPoolsCommand({ MaxResults } as { MaxResults: number })), {
          name: 'InvalidParameterException',
          message: /maxResults/,
        });
      }
    });

    it('refuses a tampered NextToken with InvalidParameterException', async () => {
      await newPool();
      await newPool();
      const first = await c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      assert.ok(first.NextToken);
      const tampered = first.NextToken.slice(0, -2) + (first.NextToken.endsWith('AA') ? 'BB' : 'AA');
      await assert.rejects(c.admin.send(new ListUserPoolsCommand({ MaxResults: 1, NextToken: tampered })), { name: 'InvalidParameterException' });
    });
  });

  describe('DescribeUserPoolClient', () => {
    it('describes a client, including its secret', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId, 'with-secret', true);
      const { UserPoolClient } = await c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(UserPoolClient?.ClientId, clientId);
      assert.equal(UserPoolClient?.UserPoolId, poolId);
      assert.equal(UserPoolClient?.ClientName, 'with-secret');
      assert.equal(UserPoolClient?.ClientSecret?.length, 51);
      assert.deepEqual(UserPoolClient?.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
      assert.ok(UserPoolClient?.CreationDate instanceof Date);
    });

    it('answers ResourceNotFoundException for an unknown client', async () => {
      const poolId = await newPool();
      await assert.rejects(c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'nosuchclient0000000000000a' })), {
        name: 'ResourceNotFoundException',
        message: 'User pool client nosuchclient0000000000000a does not exist.',
      });
    });

    it('answers ResourceNotFoundException for a client of another pool', async () => {
      const poolA = await newPool();
      const poolB = await newPool();
      const clientOfB = await newClient(poolB);
      await assert.rejects(c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolA, ClientId: clientOfB })), {
        name: 'ResourceNotFoundException',
        message: `User pool client ${clientOfB} does not exist.`,
      });
    });

    it('answers ResourceNotFoundException for an unknown pool', async () => {
      const clientId = await newClient(await newPool());
      await assert.rejects(c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: missingPool, ClientId: clientId })), {
        name: 'ResourceNotFoundException',
      });
    });
  });

  describe('ListUserPoolClients', () => {
    it("pages through a pool's clients, each as {ClientId, UserPoolId, ClientName}", async () => {
      const poolId = await newPool();
      const other = await newPool();
      await newClient(other, 'not-mine');
      const ids = [await newClient(poolId, 'c1'), await newClient(poolId, 'c2'), await newClient(poolId, 'c3')];
      const first = await c.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 2 }));
      assert.equal(first.UserPoolClients?.length, 2);
      assert.ok(first.NextToken);
      const second = await c.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: first.NextToken }));
      assert.equal(second.UserPoolClients?.length, 1);
      assert.equal(second.NextToken, undefined);
      const listed = [...first.UserPoolClients!, ...second.UserPoolClients!];
      for (const item of listed) assert.deepEqual(Object.keys(item).sort(), ['ClientId', 'ClientName', 'UserPoolId']);
      assert.deepEqual(listed.map((x) => x.ClientId).sort(), [...ids].sort());
      assert.ok(listed.every((x) => x.UserPoolId === poolId));
      const byId = Object.fromEntries(listed.map((x) => [x.ClientId, x.ClientName]));
      assert.deepEqual([byId[ids[0]!], byId[ids[1]!], byId[ids[2]!]], ['c1', 'c2', 'c3']);
    });

    it('lists all (up to 60) when MaxResults is left out', async () => {
      const poolId = await newPool();
      await newClient(poolId);
      await newClient(poolId);
      const out = await c.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
      assert.equal(out.UserPoolClients?.length, 2);
      assert.equal(out.NextToken, undefined);
    });

    it('refuses a NextToken issued for another pool with InvalidParameterException', async () => {
      const poolA = await newPool();
      const poolB = await newPool();
      await newClient(poolA);
      await newClient(poolA);
      await newClient(poolB);
      const page = await c.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolA, MaxResults: 1 }));
      assert.ok(page.NextToken);
      await assert.rejects(c.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolB, MaxResults: 1, NextToken: page.NextToken })), {
        name: 'InvalidParameterException',
      });
    });

    it('answers ResourceNotFoundException for an unknown pool and InvalidParameterException for MaxResults 0', async () => {
      await assert.rejects(c.admin.send(new ListUserPoolClientsCommand({ UserPoolId: missingPool })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missingPool} does not exist.`,
      });
      const poolId = await newPool();
      await assert.rejects(c.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 0 })), {
        name: 'InvalidParameterException',
        message: /maxResults/,
      });
    });
  });

  describe('AdminGetUser', () => {
    it('returns the user with attributes (sub first), dates, Enabled and UserStatus', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      const sub = await signUp(clientId, 'getme', { email: 'getme@example.com', given_name: 'Get' });
      const out = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'getme' }));
      assert.equal(out.Username, 'getme');
      assert.deepEqual(out.UserAttributes, [
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: 'getme@example.com' },
        { Name: 'given_name', Value: 'Get' },
      ]);
      assert.equal(out.Enabled, true);
      assert.equal(out.UserStatus, 'UNCONFIRMED');
      assert.ok(out.UserCreateDate instanceof Date);
      assert.ok(out.UserLastModifiedDate instanceof Date);
      assert.equal(out.MFAOptions, undefined);
    });

    it('finds the user by email where email is the sign-in name', async () => {
      const poolId = await newPool({ UsernameAttributes: ['email'] });
      const clientId = await newClient(poolId);
      const sub = await signUp(clientId, 'byemail@example.com');
      const out = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'byemail@example.com' }));
      assert.equal(out.Username, sub);
    });

    it('answers UserNotFoundException "User does not exist." for an unknown user', async () => {
      const poolId = await newPool();
      await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
    });

    it('answers ResourceNotFoundException for an unknown pool', async () => {
      await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: missingPool, Username: 'x' })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missingPool} does not exist.`,
      });
    });
  });

  describe('AdminConfirmSignUp', () => {
    it('confirms an UNCONFIRMED user without marking the email verified, so they can sign in', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await signUp(clientId, 'confirm-me', { email: 'confirm-me@example.com' });
      await assert.rejects(signIn(clientId, 'confirm-me'), { name: 'UserNotConfirmedException' });
      await c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'confirm-me' }));
      const user = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'confirm-me' }));
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(
        user.UserAttributes?.find((a) => a.Name === 'email_verified'),
        undefined,
      );
      const out = await signIn(clientId, 'confirm-me');
      assert.ok(out.AuthenticationResult?.AccessToken);
    });

    it('refuses an already confirmed user with NotAuthorizedException', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await signUp(clientId, 'twice');
      await c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'twice' }));
      await assert.rejects(c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'twice' })), {
        name: 'NotAuthorizedException',
        message: 'User cannot be confirmed. Current status is CONFIRMED',
      });
    });

    it('answers UserNotFoundException and ResourceNotFoundException', async () => {
      const poolId = await newPool();
      await assert.rejects(c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'nobody' })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      await assert.rejects(c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: missingPool, Username: 'nobody' })), { name: 'ResourceNotFoundException' });
    });

    it('answers InvalidParameterException when Username is missing', async () => {
      const poolId = await newPool();
      await assert.rejects(c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId } as { UserPoolId: string; Username: string })), {
        name: 'InvalidParameterException',
        message: "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
      });
    });
  });

  describe('AdminDisableUser and AdminEnableUser', () => {
    it("disabling revokes the user's tokens and blocks sign-in; enabling allows sign-in again", async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await signUp(clientId, 'switch');
      await c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'switch' }));
      const tokens = (await signIn(clientId, 'switch')).AuthenticationResult!;
      await c.deps.tokens.verifyAccess(tokens.AccessToken!);

      await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'switch' }));
      assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'switch' }))).Enabled, false);
      await assert.rejects(signIn(clientId, 'switch'), { name: 'NotAuthorizedException', message: 'User is disabled.' });
      // The access-token check every access-token operation runs, and the refresh flow.
      await assert.rejects(c.deps.tokens.verifyAccess(tokens.AccessToken!), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
      await assert.rejects(refresh(clientId, tokens.RefreshToken!), { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });

      await c.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'switch' }));
      assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'switch' }))).Enabled, true);
      const again = (await signIn(clientId, 'switch')).AuthenticationResult!;
      await c.deps.tokens.verifyAccess(again.AccessToken!);
      // Tokens revoked by the disable stay revoked.
      await assert.rejects(refresh(clientId, tokens.RefreshToken!), { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    });

    it('answers UserNotFoundException and ResourceNotFoundException', async () => {
      const poolId = await newPool();
      for (const Command of [AdminDisableUserCommand, AdminEnableUserCommand]) {
        await assert.rejects(c.admin.send(new Command({ UserPoolId: poolId, Username: 'nobody' })), {
          name: 'UserNotFoundException',
          message: 'User does not exist.',
        });
        await assert.rejects(c.admin.send(new Command({ UserPoolId: missingPool, Username: 'nobody' })), { name: 'ResourceNotFoundException' });
      }
    });
  });

  describe('AdminDeleteUser', () => {
    it('deletes the user and their sessions; the username becomes free', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await signUp(clientId, 'gone', { email: 'gone@example.com' });
      await c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'gone' }));
      const tokens = (await signIn(clientId, 'gone')).AuthenticationResult!;
      await c.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'gone' }));
      await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'gone' })), { name: 'UserNotFoundException' });
      await assert.rejects(refresh(clientId, tokens.RefreshToken!), { name: 'NotAuthorizedException' });
      await assert.rejects(c.deps.tokens.verifyAccess(tokens.AccessToken!), { name: 'NotAuthorizedException' });
      const { UserPool } = await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(UserPool?.EstimatedNumberOfUsers, 0);
      await signUp(clientId, 'gone');
    });

    it('answers UserNotFoundException and ResourceNotFoundException', async () => {
      const poolId = await newPool();
      await assert.rejects(c.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'nobody' })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      await assert.rejects(c.admin.send(new AdminDeleteUserCommand({ UserPoolId: missingPool, Username: 'nobody' })), { name: 'ResourceNotFoundException' });
    });
  });
});
