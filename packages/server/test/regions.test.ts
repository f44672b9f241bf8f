import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ConfigError } from '../src/errors/config-error.ts';
import { loadConfig } from '../src/config/load.ts';
import { createAccessKey } from '../src/services/access-keys.ts';
import { signedCall } from './helpers/raw.ts';
import { startCognate, type Running } from './helpers/server.ts';

// AWS has one endpoint per region; Cognate answers every region on one. The
// AWS SDK v3 in three regions against one server, as a user with one
// AWS_ENDPOINT_URL and profiles in several regions has it.

const ACCOUNT = '000000000000';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
type Creds = { accessKeyId: string; secretAccessKey: string };
const sdk = (c: Running, region: string, credentials: Creds = c.credentials) =>
  new CognitoIdentityProviderClient({ region, endpoint: c.url, credentials, maxAttempts: 1 });
const notFound = (poolId: string) => ({ name: 'ResourceNotFoundException', message: `User pool ${poolId} does not exist.` });

async function listAll(client: CognitoIdentityProviderClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 1, ...(NextToken ? { NextToken } : {}) }));
    ids.push(...(page.UserPools ?? []).map((p) => p.Id!));
    NextToken = page.NextToken;
  } while (NextToken);
  return ids.sort();
}

describe('every region on one endpoint (AWS SDK v3)', () => {
  let c: Running;
  const clients = new Map<string, CognitoIdentityProviderClient>();
  const pools = new Map<string, string[]>();
  const at = (region: string) => clients.get(region)!;

  before(async () => {
    c = await startCognate();
    for (const region of REGIONS) {
      clients.set(region, sdk(c, region));
      const ids: string[] = [];
      for (const name of ['first', 'second']) ids.push((await at(region).send(new CreateUserPoolCommand({ PoolName: `${region}-${name}` }))).UserPool!.Id!);
      pools.set(region, ids.sort());
    }
  });
  after(async () => {
    for (const client of clients.values()) client.destroy();
    await c?.stop();
  });

  it('creates each pool in the region the call was signed for: its ID and ARN carry that region', async () => {
    for (const region of REGIONS) {
      for (const poolId of pools.get(region)!) {
        assert.match(poolId, new RegExp(`^${region}_[0-9A-Za-z]{9}$`));
        const { UserPool } = await at(region).send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
        assert.equal(UserPool?.Arn, `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${poolId}`);
      }
    }
  });

  it("lists in each region that region's pools only, page by page", async () => {
    for (const region of REGIONS) assert.deepEqual(await listAll(at(region)), pools.get(region));
  });

  it('answers a pool of another region as not found, as that region’s endpoint would', async () => {
    const euPool = pools.get('eu-west-1')![0]!;
    const usPool = pools.get('us-east-1')![0]!;
    await assert.rejects(at('us-east-1').send(new DescribeUserPoolCommand({ UserPoolId: euPool })), notFound(euPool));
    await assert.rejects(at('ap-southeast-2').send(new DescribeUserPoolCommand({ UserPoolId: usPool })), notFound(usPool));
    await assert.rejects(
      at('us-east-1').send(new AdminCreateUserCommand({ UserPoolId: euPool, Username: 'stray', MessageAction: 'SUPPRESS' })),
      notFound(euPool),
    );
    // Tag operations name the pool by ARN: one of another region is not found either.
    const euArn = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${euPool}`;
    await assert.rejects(at('us-east-1').send(new ListTagsForResourceCommand({ ResourceArn: euArn })), notFound(euPool));
    assert.deepEqual((await at('eu-west-1').send(new ListTagsForResourceCommand({ ResourceArn: euArn }))).Tags, {});
  });

  it('signs a user up and in with a pool of a non-default region; the token issuer carries the pool ID', async () => {
    const poolId = pools.get('ap-southeast-2')![0]!;
    const sydney = at('ap-southeast-2');
    const client = await sydney.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const ClientId = client.UserPoolClient!.ClientId!;
    // Public calls are unsigned: their region is their pool's.
    await c.anon.send(
      new SignUpCommand({ ClientId, Username: 'sydney', Password: 'Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'sydney@example.com' }] }),
    );
    await sydney.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'sydney' }));
    const auth = await c.anon.send(
      new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'sydney', PASSWORD: 'Passw0rd!' } }),
    );
    const issuer = `${c.url}/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    for (const token of [auth.AuthenticationResult!.AccessToken!, auth.AuthenticationResult!.IdToken!]) {
      const { payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] });
      assert.equal(payload.iss, issuer);
    }
    const me = await c.anon.send(new GetUserCommand({ AccessToken: auth.AuthenticationResult!.AccessToken! }));
    assert.equal(me.Username, 'sydney');
  });

  it("checks key policies against the pool's ARN in the region the call was signed for", async () => {
    const euPool = pools.get('eu-west-1')![0]!;
    const usPool = pools.get('us-east-1')![0]!;
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/*` }],
    });
    const made = await createAccessKey(
      { store: c.deps.store, master: c.deps.master, ids: c.deps.ids, now: c.deps.clock.now() },
      { description: 'eu only', policy: document },
    );
    const key = { accessKeyId: made.accessKeyId, secretAccessKey: made.secretAccessKey };
    const euOnly = { eu: sdk(c, 'eu-west-1', key), us: sdk(c, 'us-east-1', key) };
    try {
      assert.equal((await euOnly.eu.send(new DescribeUserPoolCommand({ UserPoolId: euPool }))).UserPool?.Id, euPool);
      const denied = (resource: string) => ({
        name: 'AccessDeniedException',
        message: `User: ${key.accessKeyId} is not authorized to perform: cognito-idp:DescribeUserPool on resource: ${resource} because no identity-based policy allows the cognito-idp:DescribeUserPool action`,
      });
      await assert.rejects(
        euOnly.us.send(new DescribeUserPoolCommand({ UserPoolId: usPool })),
        denied(`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${usPool}`),
      );
      // IAM builds the resource from the endpoint called, so naming an eu-west-1 pool at us-east-1 is a us-east-1 ARN.
      await assert.rejects(
        euOnly.us.send(new DescribeUserPoolCommand({ UserPoolId: euPool })),
        denied(`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${euPool}`),
      );
    } finally {
      euOnly.eu.destroy();
      euOnly.us.destroy();
    }
  });

  it('refuses a credential scoped to something that is no region name', async () => {
    for (const region of ['nowhere', 'US-EAST-1', 'us-east']) {
      const res = await signedCall(c.url, 'ListUserPools', { MaxResults: 1 }, c.credentials, { region });
      assert.equal(res.body['__type'], 'InvalidSignatureException');
      assert.equal(res.body['message'], `Credential should be scoped to a valid region, not '${region}'.`);
    }
  });
});

describe('--regions', () => {
  let c: Running;
  before(async () => {
    c = await startCognate({ config: { regions: ['us-east-1', 'eu-west-1'] } });
  });
  after(() => c?.stop());

  it('serves the regions listed and refuses a call signed for any other', async () => {
    const eu = sdk(c, 'eu-west-1');
    const sydney = sdk(c, 'ap-southeast-2');
    try {
      const poolId = (await eu.send(new CreateUserPoolCommand({ PoolName: 'listed' }))).UserPool!.Id!;
      assert.match(poolId, /^eu-west-1_/);
      await assert.rejects(sydney.send(new ListUserPoolsCommand({ MaxResults: 10 })), {
        name: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid: region ap-southeast-2 is not served by this endpoint.',
      });
      await assert.rejects(sydney.send(new CreateUserPoolCommand({ PoolName: 'unlisted' })), { name: 'UnrecognizedClientException' });
      assert.deepEqual(
        (await eu.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools?.map((p) => p.Id),
        [poolId],
      );
    } finally {
      eu.destroy();
      sydney.destroy();
    }
  });

  it('is a comma-separated list of region names that includes --region', () => {
    assert.deepEqual(loadConfig({ regions: 'eu-west-1, us-east-1' }, {}).regions, ['eu-west-1', 'us-east-1']);
    assert.equal(loadConfig({}, {}).regions, null);
    assert.deepEqual(loadConfig({ region: 'eu-west-1' }, { COGNATE_REGIONS: 'eu-west-1' }).regions, ['eu-west-1']);
    const problems = (flags: Record<string, string>) => {
      try {
        loadConfig(flags, {});
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      return [];
    };
    assert.match(problems({ regions: 'eu-west-1,moon' }).join('\n'), /--regions \/ COGNATE_REGIONS: must be region names like us-east-1,eu-west-1, got "moon"/);
    assert.match(problems({ regions: 'eu-west-1' }).join('\n'), /--region \/ COGNATE_REGION: us-east-1 is not one of --regions \(eu-west-1\)/);
  });
});
