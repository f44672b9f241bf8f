import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

// Nothing secret reaches the logs, even at the most verbose level: not
// passwords, codes, tokens (no "eyJ"), refresh tokens or operator secrets.
describe('logs', () => {
  let c: Running;
  let logs = '';
  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    c = await startCognate({ config: { logLevel: 'trace' }, logStream: stream });
  });
  after(() => c.stop());

  it('contain no password, code, token or secret after a sign-up and sign-in', async () => {
    const password = 'Sup3r-Secret-Pw!';
    const pool = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'logs', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
    const poolId = pool.UserPool!.Id!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'c',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const { ClientId, ClientSecret } = client.UserPoolClient!;
    const { createHmac } = await import('node:crypto');
    const secretHash = (u: string) =>
      createHmac('sha256', ClientSecret!)
        .update(u + ClientId!)
        .digest('base64');
    await c.anon.send(new SignUpCommand({ ClientId, Username: 'log@example.com', Password: password, SecretHash: secretHash('log@example.com') }));
    const code = await c.inbox.nextCode('log@example.com');
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'log@example.com', Password: password, Permanent: true }));
    const out = await c.anon.send(
      new InitiateAuthCommand({
        ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'log@example.com', PASSWORD: password, SECRET_HASH: secretHash('log@example.com') },
      }),
    );
    await c.anon.send(new GetUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! }));
    await assert.rejects(
      c.anon.send(
        new InitiateAuthCommand({
          ClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'log@example.com', PASSWORD: `${password}x`, SECRET_HASH: secretHash('log@example.com') },
        }),
      ),
    );

    assert.ok(logs.length > 1000, 'the server did log at trace level');
    for (const secret of [
      password,
      code,
      'eyJ',
      out.AuthenticationResult!.RefreshToken!,
      ClientSecret!,
      c.credentials.secretAccessKey,
      secretHash('log@example.com'),
    ]) {
      assert.ok(!logs.includes(secret), `logs must not contain ${secret.slice(0, 3)}…`);
    }
  });
});
