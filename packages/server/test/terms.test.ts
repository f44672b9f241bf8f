import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTermsCommand,
  DeleteTermsCommand,
  DeleteUserPoolCommand,
  DescribeTermsByClientCommand,
  DescribeTermsCommand,
  ListTermsCommand,
  UpdateTermsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createClient, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const LINKS = { 'cognito:default': 'https://example.com/terms', 'cognito:french': 'https://example.com/fr/terms' };

describe('terms documents', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const create = (UserPoolId: string, ClientId: string, TermsName = 'terms-of-use') =>
    c.admin.send(new CreateTermsCommand({ UserPoolId, ClientId, TermsName, TermsSource: 'LINK', Enforcement: 'NONE', Links: LINKS }));

  it('CreateTerms returns the document; DescribeTerms the same; one of each name per client (TermsExistsException)', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    const terms = (await create(poolId, clientId)).Terms!;
    const second = Math.floor(clock.now() / 1000) * 1000;
    assert.deepEqual(
      { ...terms, TermsId: 'id', CreationDate: terms.CreationDate?.getTime(), LastModifiedDate: terms.LastModifiedDate?.getTime() },
      {
        TermsId: 'id',
        UserPoolId: poolId,
        ClientId: clientId,
        TermsName: 'terms-of-use',
        TermsSource: 'LINK',
        Enforcement: 'NONE',
        Links: LINKS,
        CreationDate: second,
        LastModifiedDate: second,
      },
    );
    assert.deepEqual((await c.admin.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: terms.TermsId! }))).Terms, terms);
    await assert.rejects(create(poolId, clientId), {
      name: 'TermsExistsException',
      message: 'Terms document terms-of-use already exists for this app client.',
    });
    await create(poolId, clientId, 'privacy-policy');
    await assert.rejects(create(poolId, clientId, 'cookies'), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.match(err.message, /at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
      return true;
    });
  });

  it('UpdateTerms replaces the members given; renaming onto the other document is TermsExistsException; Delete removes', async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    const id = (await create(poolId, clientId)).Terms!.TermsId!;
    await create(poolId, clientId, 'privacy-policy');
    const out = (await c.admin.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: id, Links: { 'cognito:default': 'https://example.com/v2' } })))
      .Terms!;
    assert.deepEqual(out.Links, { 'cognito:default': 'https://example.com/v2' });
    assert.equal(out.TermsName, 'terms-of-use');
    await assert.rejects(c.admin.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: id, TermsName: 'privacy-policy' })), {
      name: 'TermsExistsException',
      message: 'Terms document privacy-policy already exists for this app client.',
    });
    await c.admin.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: id }));
    await assert.rejects(c.admin.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: id })), {
      name: 'ResourceNotFoundException',
      message: `Terms ${id} does not exist.`,
    });
  });

  it("DescribeTermsByClient finds the client's document by name; errors as DescribeTerms'", async () => {
    const poolId = await createPool(c);
    const { clientId } = await createClient(c, poolId);
    const other = await createClient(c, poolId);
    const terms = (await create(poolId, clientId)).Terms!;
    await create(poolId, clientId, 'privacy-policy');
    await create(poolId, other.clientId);
    const byClient = (name: string, ClientId = clientId, UserPoolId = poolId) =>
      c.admin.send(new DescribeTermsByClientCommand({ UserPoolId, ClientId, TermsName: name }));
    assert.deepEqual((await byClient('terms-of-use')).Terms, terms);
    assert.equal((await byClient('privacy-policy')).Terms?.TermsName, 'privacy-policy');
    assert.equal((await byClient('terms-of-use', other.clientId)).Terms?.ClientId, other.clientId);
    await c.admin.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: terms.TermsId! }));
    await assert.rejects(byClient('terms-of-use'), {
      name: 'ResourceNotFoundException',
      message: 'Terms document terms-of-use does not exist for this app client.',
    });
    await assert.rejects(byClient('terms-of-use', 'nosuchclient1234567890abcd'), {
      name: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient1234567890abcd does not exist.',
    });
    const otherPool = await createPool(c);
    await assert.rejects(byClient('privacy-policy', clientId, otherPool), { name: 'ResourceNotFoundException' });
    await assert.rejects(byClient('privacy-policy', clientId, 'us-east-1_nosuchpool'), {
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nosuchpool does not exist.',
    });
    await assert.rejects(byClient('cookies'), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.match(err.message, /at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
      return true;
    });
    await assert.rejects(c.anon.send(new DescribeTermsByClientCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'privacy-policy' })), {
      name: 'MissingAuthenticationTokenException',
    });
  });

  it('ListTerms pages in creation order; DeleteUserPool removes every document', async () => {
    const poolId = await createPool(c);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { clientId } = await createClient(c, poolId);
      ids.push((await create(poolId, clientId)).Terms!.TermsId!);
      clock.advance(1000);
    }
    const first = await c.admin.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 2 }));
    assert.deepEqual(
      first.Terms?.map((t) => t.TermsId),
      ids.slice(0, 2),
    );
    assert.deepEqual(Object.keys(first.Terms![0]!).sort(), ['CreationDate', 'Enforcement', 'LastModifiedDate', 'TermsId', 'TermsName']);
    const rest = await c.admin.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: first.NextToken! }));
    assert.deepEqual(
      rest.Terms?.map((t) => t.TermsId),
      ids.slice(2),
    );
    assert.equal(rest.NextToken, undefined);
    await c.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(await c.deps.store.terms.get(poolId, ids[0]!), null);
  });
});
