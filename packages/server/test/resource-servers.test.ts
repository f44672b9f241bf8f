import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceServerCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DescribeResourceServerCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

const READ = { ScopeName: 'read', ScopeDescription: 'Read the data' };
const WRITE = { ScopeName: 'write', ScopeDescription: 'Write the data' };

describe('resource servers', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  let missingPool: string;
  before(async () => {
    c = await startCognate({ clock });
    missingPool = `${c.deps.config.region}_Missing00`;
  });
  after(() => c.stop());

  const create = (UserPoolId: string, Identifier: string, Scopes = [READ], Name = 'Solar system data') =>
    c.admin.send(new CreateResourceServerCommand({ UserPoolId, Identifier, Name, Scopes }));
  const describeServer = async (UserPoolId: string, Identifier: string) =>
    (await c.admin.send(new DescribeResourceServerCommand({ UserPoolId, Identifier }))).ResourceServer;

  it('CreateResourceServer returns the server; DescribeResourceServer returns the same', async () => {
    const poolId = await createPool(c);
    const out = (await create(poolId, 'https://api.example.com', [READ, WRITE])).ResourceServer;
    const expected = { UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'Solar system data', Scopes: [READ, WRITE] };
    assert.deepEqual(out, expected);
    assert.deepEqual(await describeServer(poolId, 'https://api.example.com'), expected);
    assert.deepEqual(await c.deps.store.resourceServers.get(poolId, 'https://api.example.com'), {
      poolId,
      identifier: 'https://api.example.com',
      name: 'Solar system data',
      scopes: [READ, WRITE],
    });
  });

  it('without Scopes: an empty scope list', async () => {
    const poolId = await createPool(c);
    await c.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'bare', Name: 'Bare' }));
    assert.deepEqual((await describeServer(poolId, 'bare'))?.Scopes, []);
  });

  it('the same identifier twice in a pool: InvalidParameterException, the first kept; another pool may reuse it', async () => {
    const poolId = await createPool(c);
    await create(poolId, 'api');
    await assert.rejects(create(poolId, 'api', [WRITE], 'Other'), {
      name: 'InvalidParameterException',
      message: 'A resource server with identifier api already exists in the user pool.',
    });
    assert.deepEqual((await describeServer(poolId, 'api'))?.Scopes, [READ]);
    await create(await createPool(c), 'api');
  });

  it('bad identifiers, scope names, duplicate scopes and more than 100 scopes: InvalidParameterException, nothing written', async () => {
    const poolId = await createPool(c);
    await assert.rejects(create(poolId, 'has space'), {
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value 'has space' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+",
    });
    await assert.rejects(create(poolId, 'api', [{ ScopeName: 'a/b', ScopeDescription: 'slash' }]), {
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value 'a/b' at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+",
    });
    await assert.rejects(create(poolId, 'api', [READ, { ScopeName: 'read', ScopeDescription: 'again' }]), {
      name: 'InvalidParameterException',
      message: 'Duplicate scope name: read',
    });
    const many = Array.from({ length: 101 }, (_, i) => ({ ScopeName: `s${i}`, ScopeDescription: 'd' }));
    await assert.rejects(create(poolId, 'api', many), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.match(err.message, /at 'scopes' failed to satisfy constraint: Member must have length less than or equal to 100/);
      return true;
    });
    await create(poolId, 'api', many.slice(0, 100));
    assert.equal((await describeServer(poolId, 'api'))?.Scopes?.length, 100);
  });

  it('an unknown pool or server: ResourceNotFoundException', async () => {
    await assert.rejects(create(missingPool, 'api'), { name: 'ResourceNotFoundException', message: `User pool ${missingPool} does not exist.` });
    const poolId = await createPool(c);
    const notFound = { name: 'ResourceNotFoundException', message: 'Resource server nope does not exist.' };
    await assert.rejects(describeServer(poolId, 'nope'), notFound);
    await assert.rejects(c.admin.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope', Name: 'n' })), notFound);
    await assert.rejects(c.admin.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope' })), notFound);
    await create(poolId, 'mine');
    const other = await createPool(c);
    await assert.rejects(describeServer(other, 'mine'), { name: 'ResourceNotFoundException', message: 'Resource server mine does not exist.' });
  });

  it('UpdateResourceServer replaces name and scopes; absent Scopes means none', async () => {
    const poolId = await createPool(c);
    await create(poolId, 'api', [READ]);
    const out = await c.admin.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'Renamed', Scopes: [WRITE] }));
    assert.deepEqual(out.ResourceServer, { UserPoolId: poolId, Identifier: 'api', Name: 'Renamed', Scopes: [WRITE] });
    assert.deepEqual(await describeServer(poolId, 'api'), out.ResourceServer);
    await c.admin.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'Renamed' }));
    assert.deepEqual((await describeServer(poolId, 'api'))?.Scopes, []);
  });

  it('ListResourceServers pages in identifier order with MaxResults and a sealed NextToken', async () => {
    const poolId = await createPool(c);
    for (const id of ['c', 'a', 'e', 'b', 'd']) await create(poolId, id);
    const first = await c.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2 }));
    assert.deepEqual(
      first.ResourceServers?.map((s) => s.Identifier),
      ['a', 'b'],
    );
    const second = await c.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: first.NextToken! }));
    assert.deepEqual(
      second.ResourceServers?.map((s) => s.Identifier),
      ['c', 'd'],
    );
    const third = await c.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: second.NextToken! }));
    assert.deepEqual(
      third.ResourceServers?.map((s) => s.Identifier),
      ['e'],
    );
    assert.equal(third.NextToken, undefined);
    const all = await c.admin.send(new ListResourceServersCommand({ UserPoolId: poolId }));
    assert.equal(all.ResourceServers?.length, 5);
    assert.deepEqual(all.ResourceServers?.[0], { UserPoolId: poolId, Identifier: 'a', Name: 'Solar system data', Scopes: [READ] });
    // A token of another pool's listing is refused.
    const other = await createPool(c);
    await assert.rejects(c.admin.send(new ListResourceServersCommand({ UserPoolId: other, NextToken: first.NextToken! })), {
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
    await assert.rejects(c.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 51 })), {
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    });
  });

  it('DeleteResourceServer removes it; DeleteUserPool removes them all', async () => {
    const poolId = await createPool(c);
    await create(poolId, 'one');
    await create(poolId, 'two');
    await c.admin.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'one' }));
    assert.deepEqual(
      (await c.deps.store.resourceServers.list(poolId)).map((s) => s.identifier),
      ['two'],
    );
    await c.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    assert.deepEqual(await c.deps.store.resourceServers.list(poolId), []);
  });
});
