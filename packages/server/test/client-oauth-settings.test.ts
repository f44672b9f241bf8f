import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceServerCommand,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { allowedScopes, allowsOAuthFlow } from '../src/domain/oauth-client-settings.ts';
import { FakeClock } from '../src/services/clock.ts';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const CODE_CLIENT: Partial<CreateUserPoolClientCommandInput> = {
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email'],
  CallbackURLs: ['https://app.example.com/callback'],
  SupportedIdentityProviders: ['COGNITO'],
};

describe('app-client OAuth settings', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  let poolId: string;
  before(async () => {
    c = await startCognate({ clock });
    poolId = await createPool(c);
    await c.admin.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'https://api.example.com',
        Name: 'API',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }],
      }),
    );
  });
  after(() => c.stop());

  const newClient = (input: Partial<CreateUserPoolClientCommandInput>) => createClient(c, poolId, input);
  const clientCount = async () =>
    Number(
      (
        await c.deps.store.db
          .selectFrom('user_pool_clients')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('pool_id', '=', poolId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('a code-flow client with callback URLs (https, http://localhost, a custom scheme) is accepted and described as given', async () => {
    const CallbackURLs = ['https://app.example.com/callback', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'myapp://example'];
    const { clientId } = await newClient({ ...CODE_CLIENT, CallbackURLs, LogoutURLs: ['http://localhost/out'], DefaultRedirectURI: 'myapp://example' });
    const described = (await c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
    assert.deepEqual(described.CallbackURLs, CallbackURLs);
    assert.deepEqual(described.AllowedOAuthFlows, ['code']);
    assert.deepEqual(described.AllowedOAuthScopes, ['openid', 'email']);
    assert.equal(described.DefaultRedirectURI, 'myapp://example');
    assert.equal(described.AllowedOAuthFlowsUserPoolClient, true);
    const client = (await c.deps.store.pools.client(clientId))!;
    assert.deepEqual(allowedScopes(client), ['openid', 'email']);
    assert.equal(allowsOAuthFlow(client, 'code'), true);
    assert.equal(allowsOAuthFlow(client, 'implicit'), false);
  });

  it('OAuth settings without AllowedOAuthFlowsUserPoolClient are stored; the endpoints grant nothing', async () => {
    const { clientId } = await newClient({ AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'] });
    const client = (await c.deps.store.pools.client(clientId))!;
    assert.deepEqual(allowedScopes(client), []);
    assert.equal(allowsOAuthFlow(client, 'code'), false);
  });

  it('OAuth allowed without flows or scopes: InvalidParameterException, no client made', async () => {
    const before = await clientCount();
    const message = 'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.';
    await assert.rejects(newClient({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'] }), { name: 'InvalidParameterException', message });
    await assert.rejects(newClient({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'] }), { name: 'InvalidParameterException', message });
    assert.equal(await clientCount(), before);
  });

  it('a scope that does not exist: ScopeDoesNotExistException "Invalid scope requested: ..."; custom scopes of a resource server are accepted', async () => {
    for (const scope of ['Cognito', 'https://api.example.com/write', 'other/read']) {
      await assert.rejects(newClient({ ...CODE_CLIENT, AllowedOAuthScopes: ['openid', scope] }), {
        name: 'ScopeDoesNotExistException',
        message: `Invalid scope requested: ${scope}`,
      });
    }
    const { clientId } = await newClient({
      ...CODE_CLIENT,
      AllowedOAuthScopes: ['openid', 'profile', 'phone', 'aws.cognito.signin.user.admin', 'https://api.example.com/read'],
    });
    assert.equal(allowedScopes((await c.deps.store.pools.client(clientId))!).length, 5);
  });

  it('callback and logout URLs over http (other than loopback), relative or with a fragment: InvalidParameterException', async () => {
    await assert.rejects(newClient({ ...CODE_CLIENT, CallbackURLs: ['http://localhost.com/'] }), {
      name: 'InvalidParameterException',
      message: 'http://localhost.com/ cannot use the HTTP protocol.',
    });
    await assert.rejects(newClient({ ...CODE_CLIENT, LogoutURLs: ['http://example.com/out'] }), {
      name: 'InvalidParameterException',
      message: 'http://example.com/out cannot use the HTTP protocol.',
    });
    await assert.rejects(newClient({ ...CODE_CLIENT, CallbackURLs: ['/relative'] }), {
      name: 'InvalidParameterException',
      message: '/relative is not a valid absolute URL.',
    });
    await assert.rejects(newClient({ ...CODE_CLIENT, CallbackURLs: ['https://a.example.com/#x'] }), {
      name: 'InvalidParameterException',
      message: 'https://a.example.com/#x cannot contain a fragment.',
    });
  });

  it("accepts callback URLs with letters beyond ASCII (as Cognito's model does) and redirects to them percent-encoded", async () => {
    const url = 'https://example.com/cb/日本';
    const { clientId } = await newClient({ ...CODE_CLIENT, CallbackURLs: [url] });
    const res = await fetch(
      `${c.url}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: url, response_type: 'code', scope: 'phone' })}`,
      {
        redirect: 'manual',
      },
    );
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location')?.split('?')[0], 'https://example.com/cb/%E6%97%A5%E6%9C%AC');
  });

  it('callback and logout URLs that use javascript:, data:, vbscript: or file:: InvalidParameterException', async () => {
    for (const [url, scheme] of [
      ['javascript:alert(1)', 'javascript:'],
      ['JavaScript://x/%0aalert(1)', 'javascript:'],
      ['data:text/html,<b>hi</b>', 'data:'],
      ['vbscript:msgbox(1)', 'vbscript:'],
      ['file:///etc/passwd', 'file:'],
    ]) {
      await assert.rejects(newClient({ ...CODE_CLIENT, CallbackURLs: [url!] }), {
        name: 'InvalidParameterException',
        message: `${url} cannot use the ${scheme} scheme.`,
      });
      await assert.rejects(newClient({ ...CODE_CLIENT, LogoutURLs: [url!] }), {
        name: 'InvalidParameterException',
        message: `${url} cannot use the ${scheme} scheme.`,
      });
    }
    // The percent-encoded form and custom app schemes are accepted.
    const CallbackURLs = ['https://example.com/cb/%E6%97%A5%E6%9C%AC', 'https://xn--r8jz45g.jp/cb', 'myapp://callback', 'com.example.app:/oauth2redirect'];
    const { clientId } = await newClient({ ...CODE_CLIENT, CallbackURLs, LogoutURLs: ['myapp://signout'] });
    assert.deepEqual((await c.deps.store.pools.client(clientId))!.settings.CallbackURLs, CallbackURLs);
  });

  it('a DefaultRedirectURI that is not a callback URL: InvalidParameterException', async () => {
    await assert.rejects(newClient({ ...CODE_CLIENT, DefaultRedirectURI: 'https://elsewhere.example.com/' }), {
      name: 'InvalidParameterException',
      message: 'DefaultRedirectURI must be one of the CallbackURLs.',
    });
  });

  it('an identity provider the pool does not have: InvalidParameterException "The provider ... does not exist for User Pool ..."', async () => {
    await assert.rejects(newClient({ ...CODE_CLIENT, SupportedIdentityProviders: ['COGNITO', 'Google'] }), {
      name: 'InvalidParameterException',
      message: `The provider Google does not exist for User Pool ${poolId}.`,
    });
  });

  it('client_credentials: needs a secret, cannot be combined with code or implicit (InvalidOAuthFlowException)', async () => {
    const m2m = {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials' as const],
      AllowedOAuthScopes: ['https://api.example.com/read'],
    };
    await assert.rejects(newClient(m2m), {
      name: 'InvalidOAuthFlowException',
      message: 'client_credentials flow can not be selected if client does not have a client secret.',
    });
    await assert.rejects(
      newClient({ ...m2m, GenerateSecret: true, AllowedOAuthFlows: ['client_credentials', 'code'], CallbackURLs: ['https://a.example.com/'] }),
      {
        name: 'InvalidOAuthFlowException',
        message: 'client_credentials flow can not be selected together with code or implicit flows.',
      },
    );
    const { clientId } = await newClient({ ...m2m, GenerateSecret: true });
    const client = (await c.deps.store.pools.client(clientId))!;
    assert.equal(allowsOAuthFlow(client, 'client_credentials'), true);
    assert.deepEqual(allowedScopes(client), ['https://api.example.com/read']);
  });

  it('UpdateUserPoolClient applies the same rules and leaves the client unchanged when refused', async () => {
    const { clientId } = await newClient(CODE_CLIENT);
    const update = (input: Partial<CreateUserPoolClientCommandInput>) =>
      c.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ...input }));
    await assert.rejects(update({ ...CODE_CLIENT, AllowedOAuthFlows: ['client_credentials'] }), {
      name: 'InvalidOAuthFlowException',
      message: 'client_credentials flow can not be selected if client does not have a client secret.',
    });
    await assert.rejects(update({ ...CODE_CLIENT, AllowedOAuthScopes: ['nope'] }), {
      name: 'ScopeDoesNotExistException',
      message: 'Invalid scope requested: nope',
    });
    const kept = (await c.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
    assert.deepEqual(kept.AllowedOAuthFlows, ['code']);
    assert.deepEqual(kept.AllowedOAuthScopes, ['openid', 'email']);
    await update({ ...CODE_CLIENT, AllowedOAuthFlows: ['implicit'] });
    assert.equal(allowsOAuthFlow((await c.deps.store.pools.client(clientId))!, 'implicit'), true);
  });
});
