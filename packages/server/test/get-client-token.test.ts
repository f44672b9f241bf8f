import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceServerCommand,
  GetClientTokenCommand,
  UpdateUserPoolClientCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// GetClientToken (an operation of the current JavaScript SDK beyond botocore's
// model, described in model/sdk-only-shapes.json): the client-credentials
// grant as an unsigned API call, for clients whose only flow is ALLOW_CLIENT_TOKEN_AUTH.
const CLIENT_TOKEN = ['ALLOW_CLIENT_TOKEN_AUTH' as ExplicitAuthFlowsType];

describe('GetClientToken', () => {
  let c: Running;
  let poolId: string;
  let clientId: string;
  let secret: string;
  before(async () => {
    c = await startCognate();
    poolId = await createPool(c);
    await c.admin.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'api',
        Name: 'API',
        Scopes: [
          { ScopeName: 'read', ScopeDescription: 'Read' },
          { ScopeName: 'write', ScopeDescription: 'Write' },
          { ScopeName: 'admin', ScopeDescription: 'Admin' },
        ],
      }),
    );
    const made = await createClient(c, poolId, {
      GenerateSecret: true,
      ExplicitAuthFlows: CLIENT_TOKEN,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['api/read', 'api/write'],
    });
    clientId = made.clientId;
    secret = made.secret!;
  });
  after(() => c.stop());

  const token = (input: { Scopes?: string[]; Secret?: string; ClientId?: string }) =>
    c.anon.send(new GetClientTokenCommand({ ClientId: clientId, Secret: secret, ...input }));

  it('issues an access token for the client itself, with all its custom scopes when none is asked for', async () => {
    const out = (await token({})).ClientAuthenticationResult!;
    assert.equal(out.TokenType, 'Bearer');
    assert.equal(out.ExpiresIn, 3600);
    const claims = decodeJwt(out.AccessToken!);
    assert.equal(claims.sub, clientId);
    assert.equal(claims.client_id, clientId);
    assert.equal(claims.token_use, 'access');
    assert.equal(claims.scope, 'api/read api/write');
    assert.equal(claims.iss, `${c.url}/${poolId}`);
  });

  it('grants a subset of its scopes when asked; a scope it may not have is InvalidParameterException', async () => {
    const out = (await token({ Scopes: ['api/write'] })).ClientAuthenticationResult!;
    assert.equal(decodeJwt(out.AccessToken!).scope, 'api/write');
    await assert.rejects(token({ Scopes: ['api/read', 'api/admin'] }), {
      name: 'InvalidParameterException',
      message: 'A requested scope is not allowed for this client, or the client has no custom scope.',
    });
    await assert.rejects(token({ Scopes: ['openid'] }), { name: 'InvalidParameterException' });
  });

  it('a wrong secret, an unknown client or a client without a secret is NotAuthorizedException', async () => {
    await assert.rejects(token({ Secret: 'x'.repeat(40) }), { name: 'NotAuthorizedException', message: 'Client authentication failed.' });
    await assert.rejects(token({ ClientId: 'nosuchclient1234567890abcd' }), { name: 'NotAuthorizedException', message: 'Client authentication failed.' });
    const pub = await createClient(c, poolId, { ExplicitAuthFlows: CLIENT_TOKEN });
    await assert.rejects(token({ ClientId: pub.clientId }), { name: 'NotAuthorizedException', message: 'Client authentication failed.' });
  });

  it('a client without ALLOW_CLIENT_TOKEN_AUTH is refused, even with the client_credentials OAuth grant', async () => {
    const other = await createClient(c, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['api/read'],
    });
    await assert.rejects(token({ ClientId: other.clientId, Secret: other.secret! }), {
      name: 'InvalidParameterException',
      message: 'ALLOW_CLIENT_TOKEN_AUTH flow not enabled for this client',
    });
  });

  it('ALLOW_CLIENT_TOKEN_AUTH combined with user authentication flows is refused at client creation and update', async () => {
    const message = 'ALLOW_CLIENT_TOKEN_AUTH can not be combined with other ExplicitAuthFlows: it must be the only authentication flow of the app client.';
    await assert.rejects(createClient(c, poolId, { GenerateSecret: true, ExplicitAuthFlows: [...CLIENT_TOKEN, 'ALLOW_REFRESH_TOKEN_AUTH'] }), {
      name: 'InvalidParameterException',
      message,
    });
    const plain = await createClient(c, poolId, { GenerateSecret: true });
    await assert.rejects(
      c.admin.send(
        new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: plain.clientId, ExplicitAuthFlows: [...CLIENT_TOKEN, 'ALLOW_USER_SRP_AUTH'] }),
      ),
      { name: 'InvalidParameterException', message },
    );
    await c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: plain.clientId, ExplicitAuthFlows: CLIENT_TOKEN }));
    await assert.rejects(token({ ClientId: plain.clientId, Secret: plain.secret! }), {
      name: 'InvalidParameterException',
      message: 'A requested scope is not allowed for this client, or the client has no custom scope.',
    });
  });

  it('the request is validated against the supplement: Secret is required', async () => {
    await assert.rejects(c.anon.send(new GetClientTokenCommand({ ClientId: clientId } as never)), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.match(err.message, /Value null at 'secret' failed to satisfy constraint: Member must not be null/);
      return true;
    });
  });
});
