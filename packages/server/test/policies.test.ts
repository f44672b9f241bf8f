import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAccessKey, setKeyStatus } from '../src/services/access-keys.ts';
import { BIN } from './helpers/cli.ts';
import { startCognate, type Running } from './helpers/server.ts';

// Operator access control (issue 6): keys with IAM-style policies, a
// server-wide guardrail, and the deletion switch, all through the AWS SDK
// (whose calls come from 127.0.0.1) with keys made by `cognate keys` or the
// functions behind it.

const ACCOUNT = '000000000000';
const arn = (poolId: string) => `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${poolId}`;
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

type Creds = { accessKeyId: string; secretAccessKey: string };
const sdk = (c: Running, credentials: Creds) => new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: c.url, maxAttempts: 1, credentials });

async function keyWith(c: Running, document: string | null): Promise<{ key: Creds; client: CognitoIdentityProviderClient }> {
  const made = await createAccessKey(
    { store: c.deps.store, master: c.deps.master, ids: c.deps.ids, now: c.deps.clock.now() },
    { description: 'test', policy: document },
  );
  const key = { accessKeyId: made.accessKeyId, secretAccessKey: made.secretAccessKey };
  return { key, client: sdk(c, key) };
}

const implicit = (key: string, action: string, resource: string) => ({
  name: 'AccessDeniedException',
  message: `User: ${key} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
});
const explicit = (key: string, action: string, resource: string) => ({
  name: 'AccessDeniedException',
  message: `User: ${key} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`,
});
const guardrail = (key: string, action: string, resource: string) => ({
  name: 'AccessDeniedException',
  message: `User: ${key} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in a service control policy`,
});

describe('operator policies', () => {
  let c: Running;
  let poolA: string;
  let poolB: string;
  before(async () => {
    c = await startCognate();
    poolA = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'a' }))).UserPool!.Id!;
    poolB = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'b' }))).UserPool!.Id!;
  });
  after(() => c.stop());

  it('action wildcard: cognito-idp:List* allows ListUserPools and ListUsers, and nothing else', async () => {
    const { key, client } = await keyWith(c, policy({ Effect: 'Allow', Action: 'cognito-idp:List*', Resource: '*' }));
    await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    await client.send(new ListUsersCommand({ UserPoolId: poolA }));
    await assert.rejects(
      client.send(new DescribeUserPoolCommand({ UserPoolId: poolA })),
      implicit(key.accessKeyId, 'cognito-idp:DescribeUserPool', arn(poolA)),
    );
    // Calls on no pool are on resource "*".
    await assert.rejects(client.send(new CreateUserPoolCommand({ PoolName: 'no' })), implicit(key.accessKeyId, 'cognito-idp:CreateUserPool', '*'));
    client.destroy();
  });

  it('resource wildcard: a pool ARN with a wildcard region grants that pool only', async () => {
    const { key, client } = await keyWith(
      c,
      policy({ Effect: 'Allow', Action: 'cognito-idp:*', Resource: `arn:aws:cognito-idp:*:${ACCOUNT}:userpool/${poolA}` }),
    );
    await client.send(new DescribeUserPoolCommand({ UserPoolId: poolA }));
    await assert.rejects(
      client.send(new DescribeUserPoolCommand({ UserPoolId: poolB })),
      implicit(key.accessKeyId, 'cognito-idp:DescribeUserPool', arn(poolB)),
    );
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), implicit(key.accessKeyId, 'cognito-idp:ListUserPools', '*'));
    // Tag operations act on the ARN they name.
    await client.send(new TagResourceCommand({ ResourceArn: arn(poolA), Tags: { team: 'a' } }));
    await assert.rejects(
      client.send(new TagResourceCommand({ ResourceArn: arn(poolB), Tags: { team: 'b' } })),
      implicit(key.accessKeyId, 'cognito-idp:TagResource', arn(poolB)),
    );
    client.destroy();
  });

  it('explicit deny wins over an allow', async () => {
    const { key, client } = await keyWith(
      c,
      policy(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: ['cognito-idp:Delete*', 'cognito-idp:Describe*'], Resource: arn(poolB) },
      ),
    );
    await client.send(new DescribeUserPoolCommand({ UserPoolId: poolA }));
    await assert.rejects(
      client.send(new DescribeUserPoolCommand({ UserPoolId: poolB })),
      explicit(key.accessKeyId, 'cognito-idp:DescribeUserPool', arn(poolB)),
    );
    await assert.rejects(client.send(new DeleteUserPoolCommand({ UserPoolId: poolB })), explicit(key.accessKeyId, 'cognito-idp:DeleteUserPool', arn(poolB)));
    await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolB })); // still there
    client.destroy();
  });

  it('IP condition: allowed from 127.0.0.0/8, refused when the condition names 10.0.0.0/8', async () => {
    const local = await keyWith(
      c,
      policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } }),
    );
    await local.client.send(new ListUsersCommand({ UserPoolId: poolA }));
    const remote = await keyWith(c, policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
    await assert.rejects(
      remote.client.send(new ListUsersCommand({ UserPoolId: poolA })),
      implicit(remote.key.accessKeyId, 'cognito-idp:ListUsers', arn(poolA)),
    );
    // "No admin calls from outside 10.0.0.0/8" as an explicit deny.
    const fenced = await keyWith(
      c,
      policy(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ),
    );
    await assert.rejects(
      fenced.client.send(new ListUsersCommand({ UserPoolId: poolA })),
      explicit(fenced.key.accessKeyId, 'cognito-idp:ListUsers', arn(poolA)),
    );
    for (const k of [local, remote, fenced]) k.client.destroy();
  });

  it('a key without a policy may do nothing', async () => {
    const { key, client } = await keyWith(c, null);
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), implicit(key.accessKeyId, 'cognito-idp:ListUserPools', '*'));
    client.destroy();
  });

  it('a disabled key is refused as an unknown one, and works again once enabled', async () => {
    const { key, client } = await keyWith(c, policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    await setKeyStatus(c.deps.store, key.accessKeyId, 'Inactive');
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), {
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    await setKeyStatus(c.deps.store, key.accessKeyId, 'Active');
    await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    client.destroy();
  });

  it('a malformed policy is refused and leaves no key behind', async () => {
    const before = (await c.deps.store.keyPolicies.list()).length;
    await assert.rejects(keyWith(c, policy({ Effect: 'Allow', Action: 'ListUsers', Resource: '*' })), {
      name: 'MalformedPolicyDocument',
      message: /must be prefaced by a vendor/,
    });
    assert.equal((await c.deps.store.keyPolicies.list()).length, before);
  });
});

describe('guardrail policy (--guardrail-policy)', () => {
  let c: Running;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognate-guardrail-'));
    const file = join(dir, 'guardrail.json');
    writeFileSync(file, policy({ Sid: 'NoPoolDeletion', Effect: 'Deny', Action: 'cognito-idp:DeleteUserPool', Resource: '*' }));
    c = await startCognate({ config: { guardrailPolicy: file } });
  });
  after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('denies what it names even to a key whose policy allows everything, and to the full-access key', async () => {
    const pool = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'kept' }))).UserPool!.Id!;
    const { key, client } = await keyWith(c, policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    await assert.rejects(client.send(new DeleteUserPoolCommand({ UserPoolId: pool })), guardrail(key.accessKeyId, 'cognito-idp:DeleteUserPool', arn(pool)));
    await assert.rejects(
      c.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool })),
      guardrail(c.credentials.accessKeyId, 'cognito-idp:DeleteUserPool', arn(pool)),
    );
    // Everything else the key's policy allows still works.
    await client.send(new DescribeUserPoolCommand({ UserPoolId: pool }));
    client.destroy();
  });

  it('refuses to start with a guardrail that allows anything', () => {
    const file = join(dir, 'allowing.json');
    writeFileSync(file, policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    const r = spawnSync(process.execPath, [BIN, 'start', '--data-dir', join(dir, 'data'), '--guardrail-policy', file], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--guardrail-policy \/ COGNATE_GUARDRAIL_POLICY: MalformedPolicyDocument: A guardrail policy may only contain Deny statements/);
  });
});

describe('deletion protection switch (--deletion-requires-confirmation)', () => {
  let c: Running;
  before(async () => {
    c = await startCognate({ config: { deletionRequiresConfirmation: true } });
  });
  after(() => c.stop());

  it('DeleteUserPoolClient and DeleteUserPool also need cognate:ConfirmDeletion on the pool', async () => {
    const pool = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'p' }))).UserPool!.Id!;
    const clientId = (await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'app' }))).UserPoolClient!.ClientId!;
    const manager = await keyWith(c, policy({ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }));
    await assert.rejects(
      manager.client.send(new DeleteUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId })),
      implicit(manager.key.accessKeyId, 'cognate:ConfirmDeletion', arn(pool)),
    );
    await assert.rejects(
      manager.client.send(new DeleteUserPoolCommand({ UserPoolId: pool })),
      implicit(manager.key.accessKeyId, 'cognate:ConfirmDeletion', arn(pool)),
    );
    // Nothing was deleted.
    await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool }));

    const deleter = await keyWith(c, policy({ Effect: 'Allow', Action: ['cognito-idp:*', 'cognate:ConfirmDeletion'], Resource: arn(pool) }));
    await deleter.client.send(new DeleteUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }));
    await deleter.client.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    await assert.rejects(c.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool })), { name: 'ResourceNotFoundException' });
    manager.client.destroy();
    deleter.client.destroy();
  });

  it('the confirmation alone does not allow deleting', async () => {
    const pool = (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'q' }))).UserPool!.Id!;
    const { key, client } = await keyWith(c, policy({ Effect: 'Allow', Action: 'cognate:ConfirmDeletion', Resource: '*' }));
    await assert.rejects(client.send(new DeleteUserPoolCommand({ UserPoolId: pool })), implicit(key.accessKeyId, 'cognito-idp:DeleteUserPool', arn(pool)));
    client.destroy();
  });

  it('without the switch, cognito-idp:DeleteUserPool alone suffices', async () => {
    const plain = await startCognate();
    try {
      const pool = (await plain.admin.send(new CreateUserPoolCommand({ PoolName: 'r' }))).UserPool!.Id!;
      const { client } = await keyWith(plain, policy({ Effect: 'Allow', Action: 'cognito-idp:DeleteUserPool', Resource: '*' }));
      await client.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
      client.destroy();
    } finally {
      await plain.stop();
    }
  });
});

describe('cognate keys (CLI)', () => {
  let c: Running;
  let dir: string;
  let dbFlags: string[];
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, 'keys', ...args, ...dbFlags], { encoding: 'utf8' });
  before(async () => {
    c = await startCognate();
    dir = mkdtempSync(join(tmpdir(), 'cognate-keys-'));
    const url = c.deps.config.databaseUrl;
    dbFlags = ['--data-dir', c.dataDir, ...(url ? ['--database-url', url] : [])];
  });
  after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('manages keys end to end: create with a policy, list, attach, detach, disable, enable, delete', async () => {
    const boot = c.credentials.accessKeyId;
    // The first-start key cannot be disabled while it is the only key that can do anything.
    let r = cli('disable', boot);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`Refusing to disable ${boot}: it is the only active key with full access or a policy`));

    const readOnly = join(dir, 'read-only.json');
    writeFileSync(readOnly, policy({ Effect: 'Allow', Action: ['cognito-idp:List*', 'cognito-idp:Describe*'], Resource: '*' }));
    r = cli('create', '--description', 'read only', '--policy', readOnly, '--json');
    assert.equal(r.status, 0, r.stderr);
    const made = (JSON.parse(r.stdout) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string; Status: string } }).AccessKey;
    assert.match(made.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(made.SecretAccessKey.length, 40);
    const client = sdk(c, { accessKeyId: made.AccessKeyId, secretAccessKey: made.SecretAccessKey });
    await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    await assert.rejects(client.send(new CreateUserPoolCommand({ PoolName: 'x' })), implicit(made.AccessKeyId, 'cognito-idp:CreateUserPool', '*'));

    // list never shows a secret.
    r = cli('list', '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes(made.SecretAccessKey) && !r.stdout.includes(c.credentials.secretAccessKey));
    const listed = (JSON.parse(r.stdout) as { AccessKeys: { AccessKeyId: string; Status: string; Access: string; Description: string }[] }).AccessKeys;
    assert.deepEqual(
      listed.map((k) => [k.AccessKeyId, k.Status, k.Access]),
      [
        [boot, 'Active', 'full'],
        [made.AccessKeyId, 'Active', 'policy'],
      ],
    );
    // The secret is stored sealed, never in clear.
    const row = (await c.deps.store.keyPolicies.keyWithGrant(made.AccessKeyId))?.key;
    assert.ok(row && !row.secret_sealed.includes(made.SecretAccessKey));

    // A malformed policy is refused with IAM's error name and changes nothing.
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, policy({ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }));
    r = cli('attach-policy', made.AccessKeyId, bad);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), 'MalformedPolicyDocument: Policy document should not specify a principal.');
    await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));

    // attach-policy replaces the policy.
    const creator = join(dir, 'creator.json');
    writeFileSync(creator, policy({ Effect: 'Allow', Action: 'cognito-idp:CreateUserPool', Resource: '*' }));
    r = cli('attach-policy', made.AccessKeyId, creator);
    assert.equal(r.status, 0, r.stderr);
    await client.send(new CreateUserPoolCommand({ PoolName: 'made-by-key' }));
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), implicit(made.AccessKeyId, 'cognito-idp:ListUserPools', '*'));

    // Now another active key with a policy exists: the first-start key may be disabled.
    r = cli('disable', boot);
    assert.equal(r.status, 0, r.stderr);
    await assert.rejects(c.admin.send(new ListUserPoolsCommand({ MaxResults: 10 })), {
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    // …and the remaining key may not be stripped of its policy, disabled or deleted.
    for (const [cmd, verb] of [
      ['detach-policy', 'detach the policy of'],
      ['disable', 'disable'],
      ['delete', 'delete'],
    ] as const) {
      r = cli(cmd, made.AccessKeyId);
      assert.equal(r.status, 1, `${cmd} must be refused`);
      assert.match(r.stderr, new RegExp(`Refusing to ${verb} ${made.AccessKeyId}`));
    }
    r = cli('enable', boot);
    assert.equal(r.status, 0, r.stderr);
    await c.admin.send(new ListUserPoolsCommand({ MaxResults: 10 }));

    r = cli('detach-policy', made.AccessKeyId);
    assert.equal(r.status, 0, r.stderr);
    await assert.rejects(client.send(new CreateUserPoolCommand({ PoolName: 'y' })), implicit(made.AccessKeyId, 'cognito-idp:CreateUserPool', '*'));

    r = cli('delete', made.AccessKeyId);
    assert.equal(r.status, 0, r.stderr);
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), { name: 'UnrecognizedClientException' });
    r = cli('list');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.match(r.stdout, new RegExp(`^${boot}  Active .* full access`));
    client.destroy();
  });

  it('create without --json prints the secret once, with a warning when no policy is attached', () => {
    const r = cli('create');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^AccessKeyId: {5}AKIA[A-Z2-7]{16}\nSecretAccessKey: \S{40}\nThe secret is shown only now/);
    assert.match(r.stdout, /The key has no policy yet, so it may do nothing/);
  });

  it('answers an unknown key and an unknown command with a message and status 1', () => {
    let r = cli('disable', 'AKIANOSUCHKEY0000000');
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), 'No access key AKIANOSUCHKEY0000000');
    r = cli('rotate');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Unknown keys command: rotate/);
  });
});
