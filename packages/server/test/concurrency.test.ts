import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

// Requests sent at once must not get around single-use and counting rules.
describe('concurrent requests', () => {
  let c: Running;
  let poolId: string;
  let clientId: string;
  before(async () => {
    c = await startCognate();
    poolId = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'race', UsernameAttributes: ['email'] }))).UserPool!.Id!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    clientId = client.UserPoolClient!.ClientId!;
  });
  after(() => c.stop());

  it('sign-ups racing for one email create one user; the others get UsernameExistsException', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'dup@example.com', Password: 'Passw0rd!' }))),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((r) => r.status === 'rejected')) assert.equal((r.reason as Error).name, 'UsernameExistsException');
    assert.equal((await c.deps.store.users.byAttribute(poolId, 'email', 'dup@example.com')).length, 1);
  });

  it('wrong passwords sent in parallel all count toward the lockout', async () => {
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'brute@example.com', Password: 'Passw0rd!' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'brute@example.com', Password: 'Passw0rd!', Permanent: true }));
    const guesses = 12;
    const results = await Promise.allSettled(
      Array.from({ length: guesses }, (_, i) =>
        c.anon.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'brute@example.com', PASSWORD: `Wrong-${i}x` },
          }),
        ),
      ),
    );
    const [user] = await c.deps.store.users.byAttribute(poolId, 'email', 'brute@example.com');
    // Each guess either was checked and counted, or arrived once the lock was set and was refused unchecked.
    const refusedLocked = results.filter((r) => r.status === 'rejected' && (r.reason as Error).message === 'Password attempts exceeded').length;
    assert.equal(user!.failedAttempts + refusedLocked, guesses, 'every checked failure counted');
    assert.ok(user!.failedAttempts >= 5);
    assert.ok(user!.lockedUntil !== null && user!.lockedUntil > Date.now(), 'the account is locked');
    await assert.rejects(
      c.anon.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'brute@example.com', PASSWORD: 'Passw0rd!' },
        }),
      ),
      { name: 'NotAuthorizedException', message: 'Password attempts exceeded' },
    );
  });
});
