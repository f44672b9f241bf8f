import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { CreateResourceServerCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// A pool's domain is reached by the Host header: Cognito's prefix form, a
// custom domain, and <prefix>.localhost need no DNS here because the test
// sends the Host header itself. On a domain, only that pool's clients are
// served; any other host serves every pool.

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

describe('OAuth endpoints by Host: prefix and custom domains', () => {
  let c: Running;
  let mine: { clientId: string; secret: string };
  let theirs: { clientId: string; secret: string };

  before(async () => {
    c = await startCognate();
    const machineClient = async (poolId: string) => {
      await c.admin.send(
        new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }),
      );
      const made = await createClient(c, poolId, {
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['api/read'],
      });
      return { clientId: made.clientId, secret: made.secret! };
    };
    const poolA = await createPool(c);
    const poolB = await createPool(c, { PoolName: 'other' });
    await c.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolA, Domain: 'myapp' }));
    await c.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolA, Domain: 'auth.example.com', CustomDomainConfig: { CertificateArn: CERT } }));
    mine = await machineClient(poolA);
    theirs = await machineClient(poolB);
  });

  after(async () => c.stop());

  /** POST /oauth2/token with the given Host header; the status and the error, if any. */
  function tokenAt(host: string, client: { clientId: string; secret: string }): Promise<{ status: number; error?: string }> {
    const { port } = new URL(c.url);
    const body = 'grant_type=client_credentials';
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/oauth2/token',
          headers: {
            host,
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, error: (JSON.parse(text) as { error?: string }).error }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  for (const host of ['myapp.auth.us-east-1.amazoncognito.com', 'auth.example.com', 'myapp.localhost:9229']) {
    it(`serves the pool's own client on ${host} and refuses another pool's with invalid_client`, async () => {
      assert.deepEqual(await tokenAt(host, mine), { status: 200, error: undefined });
      assert.deepEqual(await tokenAt(host, theirs), { status: 400, error: 'invalid_client' });
    });
  }

  it('serves every pool on a host that is no domain (localhost, an unregistered name)', async () => {
    for (const host of ['localhost', 'other.auth.us-east-1.amazoncognito.com']) {
      assert.equal((await tokenAt(host, mine)).status, 200, host);
      assert.equal((await tokenAt(host, theirs)).status, 200, host);
    }
  });

  it('a custom-domain row naming a reserved host (stored before CreateUserPoolDomain refused it) does not capture that host', async () => {
    const now = Date.now();
    for (const domain of ['a.b.localhost', 'evil.amazoncognito.com']) {
      const poolId = await createPool(c, { PoolName: domain });
      const record = {
        domain,
        poolId,
        custom: true,
        managedLoginVersion: 1,
        certificateArn: CERT,
        securityPolicy: null,
        cloudFrontDistribution: 'localhost',
        version: '20270101000000',
        createdAt: now,
        updatedAt: now,
      };
      assert.ok(await c.deps.store.domains.insert(record));
      assert.equal((await tokenAt(domain, theirs)).status, 200, domain);
    }
  });
});
