import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0b5e6c1a-1111-2222-3333-444455556666';

describe('user-pool domains', () => {
  const clock = new FakeClock(Date.UTC(2027, 0, 2, 3, 4, 5));
  let c: Running;
  let n = 0;
  /** A prefix no other test uses (domains are global). */
  const prefix = () => `my-app-${++n}`;
  before(async () => {
    // A public URL that is not localhost, so that refusing its host is told apart from refusing localhost.
    c = await startCognate({ clock, config: { publicUrl: 'https://id.cognate.example:8443' } });
  });
  after(() => c.stop());

  const create = (UserPoolId: string, Domain: string, extra: Partial<ConstructorParameters<typeof CreateUserPoolDomainCommand>[0]> = {}) =>
    c.admin.send(new CreateUserPoolDomainCommand({ UserPoolId, Domain, ...extra }));
  const describeDomain = async (Domain: string) => (await c.admin.send(new DescribeUserPoolDomainCommand({ Domain }))).DomainDescription;

  it('CreateUserPoolDomain makes a prefix domain that DescribeUserPoolDomain and DescribeUserPool report', async () => {
    const poolId = await createPool(c);
    const name = prefix();
    const out = await create(poolId, name);
    assert.equal(out.ManagedLoginVersion, 1);
    assert.equal(out.CloudFrontDomain, undefined);
    assert.deepEqual(await describeDomain(name), {
      UserPoolId: poolId,
      AWSAccountId: c.deps.config.accountId,
      Domain: name,
      S3Bucket: 'cognate-hosted-ui-assets',
      CloudFrontDistribution: new URL(c.deps.config.publicUrl).hostname,
      Version: '20270102030405',
      Status: 'ACTIVE',
      ManagedLoginVersion: 1,
      CustomDomainConfig: {},
    });
    const pool = (await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
    assert.equal(pool.Domain, name);
    assert.equal(pool.CustomDomain, undefined);
  });

  it('a custom domain with CustomDomainConfig is stored with its certificate and reported as CustomDomain', async () => {
    const poolId = await createPool(c);
    await create(poolId, prefix());
    const out = await create(poolId, 'Auth.Example.com', { CustomDomainConfig: { CertificateArn: CERT }, ManagedLoginVersion: 2 });
    assert.equal(out.ManagedLoginVersion, 2);
    assert.equal(out.CloudFrontDomain, new URL(c.deps.config.publicUrl).hostname);
    const d = await describeDomain('auth.example.com');
    assert.equal(d?.Domain, 'auth.example.com');
    assert.deepEqual(d?.CustomDomainConfig, { CertificateArn: CERT });
    assert.equal(d?.ManagedLoginVersion, 2);
    assert.equal((await describeDomain('AUTH.example.COM'))?.Domain, 'auth.example.com', 'names compare lower-case');
    const pool = (await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
    assert.equal(pool.CustomDomain, 'auth.example.com');
  });

  it('an unknown domain: DescribeUserPoolDomain answers an empty DomainDescription', async () => {
    assert.deepEqual(await describeDomain('nobody-has-this'), {});
  });

  it('a prefix outside the pattern: InvalidParameterException with Cognito sentence, nothing written', async () => {
    const poolId = await createPool(c);
    for (const bad of ['Upper', '-lead', 'trail-', 'dots.here', 'under_score']) {
      await assert.rejects(create(poolId, bad), {
        name: 'InvalidParameterException',
        message:
          'The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
      });
    }
    await assert.rejects(create(poolId, 'my-cognito-login'), { name: 'InvalidParameterException', message: 'Domain cannot contain reserved word: cognito' });
    await assert.rejects(create(poolId, 'a'.repeat(64)), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterException');
      return true;
    });
    assert.equal((await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain, undefined);
  });

  it('a host every pool is reached on cannot be a custom domain: the public URL host, localhost, IP literals, amazoncognito.com', async () => {
    const poolId = await createPool(c);
    const custom = (domain: string) => create(poolId, domain, { CustomDomainConfig: { CertificateArn: CERT } });
    const refused = async (domain: string, reason: string) =>
      assert.rejects(custom(domain), { name: 'InvalidParameterException', message: `${domain.toLowerCase()} cannot be used as a custom domain: ${reason}.` });
    assert.equal(new URL(c.deps.config.publicUrl).hostname, 'id.cognate.example');
    await refused('id.cognate.example', "it is the host of this server's public URL, which serves every user pool");
    await refused('ID.Cognate.Example', "it is the host of this server's public URL, which serves every user pool");
    for (const host of ['localhost', 'myapp.localhost', 'a.b.localhost']) await refused(host, 'localhost and its subdomains serve every user pool');
    for (const host of ['127.0.0.1', '10.0.0.1', '192.168.1.20', '127.1', 'example.0x7f', '::1', '[::1]', 'fe80::1', '::ffff:127.0.0.1'])
      await refused(host, 'an IP address cannot be a custom domain');
    for (const host of ['amazoncognito.com', 'myapp.auth.us-east-1.amazoncognito.com', 'evil.amazoncognito.com'])
      await refused(host, 'names under amazoncognito.com are reserved for prefix domains');
    assert.equal((await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.CustomDomain, undefined, 'nothing written');
    // Names that merely resemble them stay allowed.
    await custom('login.id.cognate.example');
    const other = await createPool(c);
    await create(other, 'localhost-auth.example.com', { CustomDomainConfig: { CertificateArn: CERT } });
    const third = await createPool(c);
    await create(third, '127-0-0-1.example.com', { CustomDomainConfig: { CertificateArn: CERT } });
  });

  it('a name taken by any pool: "Domain already associated with another user pool."; one prefix domain per pool', async () => {
    const a = await createPool(c);
    const b = await createPool(c);
    const name = prefix();
    await create(a, name);
    await assert.rejects(create(b, name), { name: 'InvalidParameterException', message: 'Domain already associated with another user pool.' });
    await assert.rejects(create(a, prefix()), { name: 'InvalidParameterException', message: 'User pool already has a domain configured.' });
    assert.equal((await describeDomain(name))?.UserPoolId, a);
  });

  it('a bad ManagedLoginVersion, an unknown pool, a custom domain without certificate', async () => {
    const poolId = await createPool(c);
    await assert.rejects(create(poolId, prefix(), { ManagedLoginVersion: 3 }), {
      name: 'InvalidParameterException',
      message: 'ManagedLoginVersion must be 1 or 2.',
    });
    const missing = `${c.deps.config.region}_Missing00`;
    await assert.rejects(create(missing, prefix()), { name: 'ResourceNotFoundException', message: `User pool ${missing} does not exist.` });
    await assert.rejects(create(poolId, 'login.example.org', { CustomDomainConfig: {} as { CertificateArn: string } }), {
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'customDomainConfig.certificateArn' failed to satisfy constraint: Member must not be null",
    });
  });

  it('UpdateUserPoolDomain changes the managed-login version and a custom domain certificate; Version moves', async () => {
    const poolId = await createPool(c);
    const name = prefix();
    await create(poolId, name);
    clock.advance(61_000);
    const out = await c.admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: name, ManagedLoginVersion: 2 }));
    assert.equal(out.ManagedLoginVersion, 2);
    const d = await describeDomain(name);
    assert.equal(d?.ManagedLoginVersion, 2);
    assert.equal(d?.Version, '20270102030506');
    await create(poolId, 'id.example.net', { CustomDomainConfig: { CertificateArn: CERT } });
    const cert2 = CERT.replace('0b5e6c1a', '9f9f9f9f');
    await c.admin.send(
      new UpdateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: 'id.example.net',
        CustomDomainConfig: { CertificateArn: cert2, SecurityPolicy: 'TLS_V1_2_2021' },
      }),
    );
    assert.deepEqual((await describeDomain('id.example.net'))?.CustomDomainConfig, { CertificateArn: cert2, SecurityPolicy: 'TLS_V1_2_2021' });
    assert.equal((await describeDomain('id.example.net'))?.ManagedLoginVersion, 1, 'absent version kept');
  });

  it('UpdateUserPoolDomain and DeleteUserPoolDomain of a domain the pool does not have: "No such domain or user pool exists."', async () => {
    const a = await createPool(c);
    const b = await createPool(c);
    const name = prefix();
    await create(a, name);
    const noSuch = { name: 'InvalidParameterException', message: 'No such domain or user pool exists.' };
    await assert.rejects(c.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: b, Domain: name })), noSuch);
    await assert.rejects(c.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: a, Domain: 'not-there' })), noSuch);
    await assert.rejects(c.admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: b, Domain: name, ManagedLoginVersion: 2 })), noSuch);
    assert.equal((await describeDomain(name))?.ManagedLoginVersion, 1);
  });

  it('DeleteUserPoolDomain frees the name; DeleteUserPool removes the pool domains', async () => {
    const poolId = await createPool(c);
    const name = prefix();
    await create(poolId, name);
    await c.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: name }));
    assert.deepEqual(await describeDomain(name), {});
    assert.equal((await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain, undefined);
    const other = await createPool(c);
    await create(other, name);
    await create(other, 'gone.example.com', { CustomDomainConfig: { CertificateArn: CERT } });
    await c.admin.send(new DeleteUserPoolCommand({ UserPoolId: other }));
    assert.deepEqual(await describeDomain(name), {});
    assert.deepEqual(await describeDomain('gone.example.com'), {});
    assert.deepEqual(await c.deps.store.domains.forPool(other), []);
  });
});
