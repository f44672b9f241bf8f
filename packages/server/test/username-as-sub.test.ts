import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminAddUserToGroupCommand, AdminGetUserCommand, CreateUserPoolClientCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { aliasPoolFixtures, FIXTURE_PASSWORD as PASSWORD } from './helpers/user-fixtures.ts';

const userNotFound = { name: 'UserNotFoundException', message: 'User does not exist.' };

describe("operator operations accept the user's sub as Username", () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(async () => {
    await c.stop();
  });

  const { newPool, newUser } = aliasPoolFixtures(() => c);

  it('AdminGetUser finds a user by sub, in a pool with and without aliases', async () => {
    for (const AliasAttributes of [undefined, ['email' as const]]) {
      const poolId = await newPool(AliasAttributes ? { AliasAttributes } : {});
      const sub = await newUser(poolId, 'dee');
      const got = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: sub }));
      assert.equal(got.Username, 'dee');
      assert.equal(got.UserAttributes!.find((a) => a.Name === 'sub')!.Value, sub);
    }
  });

  it("another pool's sub is not found, and a sub does not sign in", async () => {
    const poolA = await newPool();
    const poolB = await newPool();
    const subA = await newUser(poolA, 'eve');
    await assert.rejects(c.admin.send(new AdminGetUserCommand({ UserPoolId: poolB, Username: subA })), userNotFound);
    await assert.rejects(c.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolB, Username: subA, GroupName: 'none' })), userNotFound);
    const clientId = (
      await c.admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolA, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      )
    ).UserPoolClient!.ClientId!;
    await assert.rejects(
      c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: subA, PASSWORD } })),
      userNotFound,
    );
  });
});
