import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

describe('smoke', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  it('creates a pool, signs up and refuses an unconfirmed sign-in', async () => {
    const pool = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'p', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.UserPool!.Id!,
        ClientName: 'c',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    const out = await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'a@example.com', Password: 'Passw0rd!' }));
    assert.equal(out.UserConfirmed, false);
    assert.equal(out.CodeDeliveryDetails?.Destination, 'a***@e***');
    const code = await c.inbox.nextCode('a@example.com');
    assert.match(code, /^\d{6}$/);
    await assert.rejects(
      c.anon.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a@example.com', PASSWORD: 'Passw0rd!' } }),
      ),
      { name: 'UserNotConfirmedException' },
    );
  });
});
