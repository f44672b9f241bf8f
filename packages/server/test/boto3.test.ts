import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

// A second SDK: Python's boto3 (test/python/boto3_scenarios.py) against a
// running Cognate, configured only by the environment lines `cognate start`
// prints (shared-credentials file, profile, region, endpoint). Required under
// CI=true; otherwise skipped loudly when boto3 is not importable.

const script = fileURLToPath(new URL('./python/boto3_scenarios.py', import.meta.url));
const operations = fileURLToPath(new URL('../src/cognito-api/operations/', import.meta.url));

// `python3` from PATH (pyenv in this workspace); COGNATE_PYTHON names another.
function findPython(): string | null {
  const candidates = process.env['COGNATE_PYTHON'] ? [process.env['COGNATE_PYTHON']] : ['python3', '/usr/bin/python3'];
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

const python = findPython();
const required = process.env['CI'] === 'true';
const skip = python === null && !required ? 'boto3 is not importable by python3 (pip install boto3); the boto3 tests are SKIPPED' : false;
if (skip) console.error(`\n*** ${skip} ***\n`);

const groupsImplemented = ['CreateGroup', 'AdminAddUserToGroup', 'AdminListGroupsForUser'].every((op) => existsSync(join(operations, `${op}.ts`)));

interface ApiError {
  code: string;
  message: string;
}
interface Setup {
  poolId: string;
  poolName: string;
  clientId: string;
  explicitAuthFlows: string[];
  userConfirmed: boolean;
  userSub: string;
  delivery: { Destination: string; DeliveryMedium: string; AttributeName: string };
}
interface Scenarios {
  auth: { tokenType: string; expiresIn: number; hasRefreshToken: boolean; access: Record<string, unknown>; id: Record<string, unknown> };
  getUser: { username: string; attributes: Record<string, string> };
  wrongPassword: ApiError | null;
  unknownUser: ApiError | null;
  adminGetUnknown: ApiError | null;
  adminGetUser: { username: string; status: string; enabled: boolean; attributes: Record<string, string>; createDateType: string };
  listPages: string[][];
  listOther: string[];
  paginatorPages: string[][];
  tokenOtherFilter: ApiError | null;
  groups?: { listed: string[]; accessClaim: unknown; idClaim: unknown };
}

describe('boto3 (Python) against Cognate', { skip }, () => {
  const username = 'pyuser';
  const email = 'py@example.com';
  const pagedUsers = 5;
  let c: Running;
  let env: NodeJS.ProcessEnv;
  let setup: Setup;
  let out: Scenarios;

  // Asynchronous: the server answering boto3 runs in this process.
  const run = <T>(step: string, args: object) =>
    new Promise<T>((resolve, reject) => {
      execFile(python!, [script, step, JSON.stringify(args)], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`boto3 step ${step} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as T);
      });
    });

  before(async () => {
    assert.ok(python, 'CI=true but python3 cannot import boto3: pip install boto3');
    c = await startCognate();
    // The operator credentials as Cognate wrote them (0600, profile `cognate`),
    // and nothing from the developer's own AWS configuration.
    env = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
    for (const key of ['PYENV_ROOT', 'PYENV_VERSION', 'VIRTUAL_ENV', 'PYTHONPATH']) if (process.env[key]) env[key] = process.env[key];
    Object.assign(env, {
      AWS_SHARED_CREDENTIALS_FILE: join(c.dataDir, 'credentials'),
      AWS_CONFIG_FILE: join(c.dataDir, 'no-aws-config'),
      AWS_PROFILE: 'cognate',
      AWS_REGION: c.deps.config.region,
      AWS_DEFAULT_REGION: c.deps.config.region,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: c.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    setup = await run<Setup>('setup', { username, email, pagedUsers });
    const code = await c.inbox.nextCode(email);
    out = await run<Scenarios>('scenarios', { poolId: setup.poolId, clientId: setup.clientId, username, code, groups: groupsImplemented });
  });
  after(() => c?.stop());

  it('creates a pool and an app client (CreateUserPool, CreateUserPoolClient)', () => {
    assert.match(setup.poolId, new RegExp(`^${c.deps.config.region}_[0-9A-Za-z]{9}$`));
    assert.equal(setup.poolName, 'boto3');
    assert.match(setup.clientId, /^[a-z0-9]{26}$/);
    assert.deepEqual([...setup.explicitAuthFlows].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
  });

  it('signs up an unconfirmed user and mails the code to a masked destination (SignUp)', () => {
    assert.equal(setup.userConfirmed, false);
    assert.match(setup.userSub, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(setup.delivery, { Destination: 'p***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  });

  it('confirms with the mailed code and signs in with USER_PASSWORD_AUTH (ConfirmSignUp, InitiateAuth)', () => {
    assert.equal(out.auth.tokenType, 'Bearer');
    assert.equal(out.auth.expiresIn, 3600);
    assert.equal(out.auth.hasRefreshToken, true);
    assert.equal(out.auth.access['token_use'], 'access');
    assert.equal(out.auth.access['client_id'], setup.clientId);
    assert.equal(out.auth.access['username'], username);
    assert.equal(out.auth.access['sub'], setup.userSub);
    assert.equal(out.auth.id['token_use'], 'id');
    assert.equal(out.auth.id['aud'], setup.clientId);
    assert.equal(out.auth.id['email'], email);
    assert.equal(out.auth.id['email_verified'], true);
    assert.equal(out.auth.id['iss'], `${c.url}/${setup.poolId}`);
  });

  it('returns the signed-in user for the access token (GetUser)', () => {
    assert.equal(out.getUser.username, username);
    assert.deepEqual(out.getUser.attributes, { sub: setup.userSub, email, email_verified: 'true', family_name: 'Python' });
  });

  it('refuses a wrong password and an unknown user with the errors the JS SDK sees', async () => {
    const js = (USERNAME: string, PASSWORD: string) =>
      c.anon.send(new InitiateAuthCommand({ ClientId: setup.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } })).then(
        () => assert.fail('signed in'),
        (e: Error) => ({ code: e.name, message: e.message }),
      );
    assert.deepEqual(out.wrongPassword, { code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    assert.deepEqual(await js(username, 'Wr0ng-password!'), out.wrongPassword);
    assert.deepEqual(out.unknownUser, { code: 'UserNotFoundException', message: 'User does not exist.' });
    assert.deepEqual(await js('nobody-here', 'Passw0rd!'), out.unknownUser);
  });

  it('reads a user as an operator (AdminGetUser), and refuses an unknown one', () => {
    assert.deepEqual(out.adminGetUser, {
      username,
      status: 'CONFIRMED',
      enabled: true,
      attributes: { sub: setup.userSub, email, email_verified: 'true', family_name: 'Python' },
      createDateType: 'datetime',
    });
    assert.deepEqual(out.adminGetUnknown, { code: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('lists users with a Filter, page by page by hand and through the boto3 paginator (ListUsers)', () => {
    const all = Array.from({ length: pagedUsers }, (_, i) => `paged-${i}`);
    assert.deepEqual(out.listPages, [all.slice(0, 2), all.slice(2, 4), all.slice(4)]);
    assert.deepEqual(out.paginatorPages, out.listPages);
    assert.deepEqual(out.listOther, [username]);
  });

  it('refuses a PaginationToken presented with another Filter', () => {
    assert.equal(out.tokenOtherFilter?.code, 'InvalidParameterException');
    assert.match(out.tokenOtherFilter?.message ?? '', /^Paging marker \S+ is invalid for request \S+$/);
  });

  it('puts the user in a group and the group in both tokens (CreateGroup, AdminAddUserToGroup)', {
    skip: groupsImplemented ? false : 'groups are not implemented yet',
  }, () => {
    assert.deepEqual(out.groups, { listed: ['readers'], accessClaim: ['readers'], idClaim: ['readers'] });
  });
});

// One endpoint for every region (test/regions.test.ts has the JS SDK's side):
// boto3 with the same profile and endpoint, AWS_REGION set to each of two regions.
describe('boto3 (Python) in two regions on one endpoint', { skip }, () => {
  interface Regional {
    region: string;
    created: { id: string; arn: string } | null;
    listed: string[];
    foreign: Record<string, ApiError | null>;
  }
  let c: Running;
  const inRegion = (region: string, args: object) =>
    new Promise<Regional>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
      for (const key of ['PYENV_ROOT', 'PYENV_VERSION', 'VIRTUAL_ENV', 'PYTHONPATH']) if (process.env[key]) env[key] = process.env[key];
      Object.assign(env, {
        AWS_SHARED_CREDENTIALS_FILE: join(c.dataDir, 'credentials'),
        AWS_CONFIG_FILE: join(c.dataDir, 'no-aws-config'),
        AWS_PROFILE: 'cognate',
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ENDPOINT_URL: c.url,
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      execFile(python!, [script, 'regional', JSON.stringify(args)], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`boto3 step regional (${region}) failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as Regional);
      });
    });

  before(async () => {
    c = await startCognate();
  });
  after(() => c?.stop());

  it("creates a pool in each region, lists each region's own, and answers the other's as not found", async () => {
    const us = await inRegion('us-east-1', { name: 'py-us' });
    const eu = await inRegion('eu-west-1', { name: 'py-eu', foreign: [us.created!.id] });
    assert.equal(eu.region, 'eu-west-1');
    assert.match(us.created!.id, /^us-east-1_[0-9A-Za-z]{9}$/);
    assert.match(eu.created!.id, /^eu-west-1_[0-9A-Za-z]{9}$/);
    assert.equal(eu.created!.arn, `arn:aws:cognito-idp:eu-west-1:${c.deps.config.accountId}:userpool/${eu.created!.id}`);
    assert.deepEqual(eu.listed, [eu.created!.id]);
    assert.deepEqual(eu.foreign, { [us.created!.id]: { code: 'ResourceNotFoundException', message: `User pool ${us.created!.id} does not exist.` } });
    const usAgain = await inRegion('us-east-1', { foreign: [eu.created!.id] });
    assert.deepEqual(usAgain.listed, [us.created!.id]);
    assert.deepEqual(usAgain.foreign, { [eu.created!.id]: { code: 'ResourceNotFoundException', message: `User pool ${eu.created!.id} does not exist.` } });
  });
});
