import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  ConfirmDeviceCommand,
  UpdateDeviceStatusCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  GetClientTokenCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CreateUserPoolCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { hostedSignIn } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool, PASSWORD, passwordSignIn } from './helpers/pools.ts';
import { TriggerFunctions } from './helpers/trigger-functions.ts';
import { claim, largeA, newHelper, passwordKey, type AuthenticationHelper } from './helpers/srp-client.ts';
import { formatTimestamp } from '../src/crypto/srp.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The pre token generation trigger in its three versions, through the real
// SDK and the OAuth endpoints: the event each way of getting tokens sends,
// every override applied to the signed tokens (verified against the pool's
// JWKS, so the claims are the signed ones), and the failures.

const ROLE_A = 'arn:aws:iam::123456789012:role/admins';
const ROLE_B = 'arn:aws:iam::123456789012:role/other';
const CALLBACK = 'http://localhost:3999/callback';

type DeviceHelper = AuthenticationHelper & {
  generateHashDevice(group: string, key: string, cb: (err: Error | null) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
};

/** The DeviceSecretVerifierConfig identity-js sends to ConfirmDevice, and the device password it keeps. */
async function deviceVerifier(group: string, key: string): Promise<{ config: { PasswordVerifier: string; Salt: string }; password: string }> {
  const helper = newHelper(group) as DeviceHelper;
  await new Promise<void>((resolve, reject) => helper.generateHashDevice(group, key, (err) => (err ? reject(err) : resolve())));
  return {
    config: {
      Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    },
    password: helper.getRandomPassword(),
  };
}

describe('pre token generation', () => {
  let c: Running;
  const fns = new TriggerFunctions().scripted('pre-token');
  const arn = fns.arn('pre-token');

  before(async () => {
    c = await startCognate({ config: { functionsFile: fns.functionsFile } });
  });
  after(async () => {
    await c.stop();
    fns.cleanup();
  });

  /** Verifies a token against the pool's JWKS: the claims a relying party would read. */
  async function verified(poolId: string, token: string): Promise<JWTPayload> {
    const jwks = createRemoteJWKSet(new URL(`${c.url}/${poolId}/.well-known/jwks.json`));
    return (await jwtVerify(token, jwks, { issuer: `${c.url}/${poolId}` })).payload;
  }

  /** A pool with the trigger, a password client, and `ann` in group `admins` (with a role). */
  async function poolWith(lambda: CreateUserPoolCommandInput['LambdaConfig'], client: Parameters<typeof createClient>[2] = {}) {
    const poolId = await createPool(c, { LambdaConfig: lambda });
    const { clientId, secret } = await createClient(c, poolId, client);
    await c.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', RoleArn: ROLE_A, Precedence: 1 }));
    const user = await createConfirmedUser(c, poolId, 'ann', { attributes: attrs({ email: 'ann@example.com', name: 'Ann' }) });
    await c.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'ann', GroupName: 'admins' }));
    const sub = user.Attributes!.find((a) => a.Name === 'sub')!.Value!;
    fns.reset('pre-token');
    return { poolId, clientId, secret, sub };
  }

  const sessionsOf = async (sub: string) => (await c.deps.store.db.selectFrom('sessions').select('origin_jti').where('sub', '=', sub).execute()).length;

  describe('V1_0 (LambdaConfig.PreTokenGeneration)', () => {
    it('sends the V1 event for an API sign-in, without InitiateAuth ClientMetadata', async () => {
      const { poolId, clientId, sub } = await poolWith({ PreTokenGeneration: arn });
      await c.anon.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'ann', PASSWORD },
          ClientMetadata: { from: 'initiate' },
        }),
      );
      const [event, more] = fns.take('pre-token');
      assert.equal(more, undefined, 'one invocation per sign-in');
      assert.equal(event!.version, '1');
      assert.equal(event!.triggerSource, 'TokenGeneration_Authentication');
      assert.equal(event!.userPoolId, poolId);
      assert.equal(event!.userName, 'ann');
      assert.equal(event!.callerContext.clientId, clientId);
      assert.match(event!.callerContext.awsSdkVersion, /^aws-sdk-js-/);
      assert.deepEqual(event!.request, {
        userAttributes: { sub, email: 'ann@example.com', name: 'Ann', 'cognito:user_status': 'CONFIRMED' },
        groupConfiguration: { groupsToOverride: ['admins'], iamRolesToOverride: [ROLE_A], preferredRole: ROLE_A },
      });
      assert.deepEqual(event!.response, {});
    });

    it('adds, overrides and suppresses ID-token claims and replaces the groups of both tokens; immutable claims stay', async () => {
      const { poolId, clientId, sub } = await poolWith({ PreTokenGeneration: arn });
      fns.plan('pre-token', {
        respond: {
          claimsOverrideDetails: {
            claimsToAddOrOverride: {
              tier: 'gold',
              email: 'other@example.com',
              sub: 'forged',
              'cognito:username': 'mallory',
              iss: 'https://evil',
              name: 'kept?',
            },
            claimsToSuppress: ['name', 'sub'],
            groupOverrideDetails: { groupsToOverride: ['g1', 'g2'], iamRolesToOverride: [ROLE_B], preferredRole: ROLE_B },
          },
        },
      });
      const result = (await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!;
      const id = await verified(poolId, result.IdToken!);
      assert.equal(id['tier'], 'gold');
      assert.equal(id['email'], 'other@example.com');
      assert.equal(id.sub, sub);
      assert.equal(id['cognito:username'], 'ann');
      assert.equal(id.iss, `${c.url}/${poolId}`);
      assert.equal(id['name'], undefined, 'suppressed wins over an override of the same claim');
      assert.deepEqual(id['cognito:groups'], ['g1', 'g2']);
      assert.deepEqual(id['cognito:roles'], [ROLE_B]);
      assert.equal(id['cognito:preferred_role'], ROLE_B);
      const access = await verified(poolId, result.AccessToken!);
      assert.deepEqual(access['cognito:groups'], ['g1', 'g2'], 'the group override reaches the access token');
      assert.equal(access['tier'], undefined, 'V1 claims are the ID token only');
      // The access token still works: GetUser accepts it.
      await c.anon.send(new GetUserCommand({ AccessToken: result.AccessToken! }));
    });

    it('suppressing cognito:groups drops the roles too; an empty groupOverrideDetails removes the groups', async () => {
      const { poolId, clientId } = await poolWith({ PreTokenGeneration: arn });
      fns.plan('pre-token', { respond: { claimsOverrideDetails: { claimsToSuppress: ['cognito:groups'] } } });
      let id = decodeJwt((await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!.IdToken!);
      assert.equal(id['cognito:groups'], undefined);
      assert.equal(id['cognito:roles'], undefined);
      assert.equal(id['cognito:preferred_role'], undefined);
      fns.plan('pre-token', { respond: { claimsOverrideDetails: { groupOverrideDetails: {} } } });
      const result = (await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!;
      id = await verified(poolId, result.IdToken!);
      assert.equal(id['cognito:groups'], undefined);
      assert.equal(id['cognito:roles'], undefined);
      assert.equal(decodeJwt(result.AccessToken!)['cognito:groups'], undefined);
      fns.plan('pre-token', { respond: { claimsOverrideDetails: { groupOverrideDetails: null } } });
      id = decodeJwt((await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!.IdToken!);
      assert.deepEqual(id['cognito:groups'], ['admins'], 'a null override keeps the groups');
    });

    it('runs again at refresh (TokenGeneration_RefreshTokens), for REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken with its ClientMetadata', async () => {
      const { poolId, clientId } = await poolWith({ PreTokenGeneration: arn });
      const signedIn = (await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!;
      fns.take('pre-token');
      fns.plan('pre-token', { respond: { claimsOverrideDetails: { claimsToAddOrOverride: { refreshed: 'yes' } } } });
      const refreshed = await c.anon.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! } }),
      );
      assert.equal((await verified(poolId, refreshed.AuthenticationResult!.IdToken!))['refreshed'], 'yes');
      const viaOperation = await c.anon.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: signedIn.RefreshToken!, ClientMetadata: { app: 'mobile' } }),
      );
      assert.equal(decodeJwt(viaOperation.AuthenticationResult!.IdToken!)['refreshed'], 'yes');
      const [first, second] = fns.take('pre-token');
      assert.equal(first!.triggerSource, 'TokenGeneration_RefreshTokens');
      assert.equal(first!.request['clientMetadata'], undefined);
      assert.equal(second!.triggerSource, 'TokenGeneration_RefreshTokens');
      assert.deepEqual(second!.request['clientMetadata'], { app: 'mobile' });
    });

    it('answers a new-password challenge with TokenGeneration_NewPasswordChallenge and RespondToAuthChallenge ClientMetadata', async () => {
      const { poolId, clientId } = await poolWith({ PreTokenGeneration: arn });
      await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'newbie', TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS' }));
      const challenge = await passwordSignIn(c, clientId, 'newbie', 'Temp0rary!');
      assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      assert.deepEqual(fns.take('pre-token'), [], 'no tokens yet, no trigger');
      fns.plan('pre-token', { respond: { claimsOverrideDetails: { claimsToAddOrOverride: { welcomed: 'true' } } } });
      const done = await c.anon.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session!,
          ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'Perm4nent!pass' },
          ClientMetadata: { step: 'new-password' },
        }),
      );
      assert.equal((await verified(poolId, done.AuthenticationResult!.IdToken!))['welcomed'], 'true');
      const [event] = fns.take('pre-token');
      assert.equal(event!.triggerSource, 'TokenGeneration_NewPasswordChallenge');
      assert.deepEqual(event!.request['clientMetadata'], { step: 'new-password' });
    });

    it('fails the sign-in with UserLambdaValidationException when the function throws, leaving no token family', async () => {
      const { clientId, sub } = await poolWith({ PreTokenGeneration: arn });
      fns.plan('pre-token', { throw: 'no tokens today' });
      await assert.rejects(passwordSignIn(c, clientId, 'ann'), (err: Error) => {
        assert.equal(err.name, 'UserLambdaValidationException');
        assert.equal(err.message, 'PreTokenGeneration failed with error no tokens today.');
        return true;
      });
      assert.equal(await sessionsOf(sub), 0);
      fns.plan('pre-token', { respond: { claimsOverrideDetails: { claimsToAddOrOverride: { n: 5 } } } });
      await assert.rejects(passwordSignIn(c, clientId, 'ann'), { name: 'InvalidLambdaResponseException' }, 'V1 claim values are strings');
      fns.plan('pre-token', { returns: 'not an event' });
      await assert.rejects(passwordSignIn(c, clientId, 'ann'), { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
      assert.equal(await sessionsOf(sub), 0);
    });

    it('fails a refresh the same way, and the family still refreshes once the function recovers', async () => {
      const { clientId } = await poolWith({ PreTokenGeneration: arn });
      const signedIn = (await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!;
      fns.plan('pre-token', { throw: 'later' });
      const refresh = () =>
        c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! } }));
      await assert.rejects(refresh(), { name: 'UserLambdaValidationException' });
      fns.plan('pre-token', { unchanged: true });
      assert.ok((await refresh()).AuthenticationResult?.AccessToken);
    });
  });

  describe('V2_0 (PreTokenGenerationConfig)', () => {
    const v2 = () => ({ PreTokenGenerationConfig: { LambdaArn: arn, LambdaVersion: 'V2_0' as const } });

    it('sends version 2 with the scopes, and shapes both tokens with any JSON values', async () => {
      const { poolId, clientId, sub } = await poolWith(v2());
      fns.plan('pre-token', {
        respond: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: {
              claimsToAddOrOverride: { profile: { plan: 'pro', seats: 3 }, score: 7, beta: true, tags: ['a', 1], email_verified: { not: 'allowed' } },
              claimsToSuppress: ['email'],
            },
            accessTokenGeneration: {
              claimsToAddOrOverride: { tenant: 't-1', aud: clientId, client_id: 'forged', username: 'mallory' },
              claimsToSuppress: ['cognito:groups'],
              scopesToAdd: ['orders/read'],
            },
          },
        },
      });
      const result = (await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!;
      const [event] = fns.take('pre-token');
      assert.equal(event!.version, '2');
      assert.deepEqual(event!.request['scopes'], ['aws.cognito.signin.user.admin']);
      const id = await verified(poolId, result.IdToken!);
      assert.deepEqual(id['profile'], { plan: 'pro', seats: 3 });
      assert.equal(id['score'], 7);
      assert.equal(id['beta'], true);
      assert.deepEqual(id['tags'], ['a', 1]);
      assert.equal(id['email'], undefined);
      assert.equal(id['email_verified'], undefined, 'a complex value for email_verified is ignored (the user has none)');
      assert.deepEqual(id['cognito:groups'], ['admins'], 'the access token suppression is its own');
      const access = await verified(poolId, result.AccessToken!);
      assert.equal(access['tenant'], 't-1');
      assert.equal(access.aud, clientId, 'an access token may gain aud as its own client ID');
      assert.equal(access['client_id'], clientId);
      assert.equal(access['username'], 'ann');
      assert.equal(access.sub, sub);
      assert.equal(access['cognito:groups'], undefined);
      assert.equal(access['scope'], 'aws.cognito.signin.user.admin orders/read');
    });

    it('a suppressed aws.cognito.signin.user.admin scope makes the access token useless for GetUser', async () => {
      const { clientId } = await poolWith(v2());
      fns.plan('pre-token', {
        respond: {
          claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToSuppress: ['aws.cognito.signin.user.admin'], scopesToAdd: ['extra/one'] } },
        },
      });
      const result = (await passwordSignIn(c, clientId, 'ann')).AuthenticationResult!;
      assert.equal(decodeJwt(result.AccessToken!)['scope'], 'extra/one');
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: result.AccessToken! })), {
        name: 'NotAuthorizedException',
        message: 'Access Token does not have required scopes',
      });
    });

    it('answers the managed-login code flow with TokenGeneration_HostedAuth and the OAuth scopes', async () => {
      const { poolId, clientId, secret } = await poolWith(v2(), {
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      });
      fns.plan('pre-token', {
        respond: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { via: 'hosted', nonce: 'forged' } },
            accessTokenGeneration: { scopesToSuppress: ['email'] },
          },
        },
      });
      const { location } = await hostedSignIn(
        c.url,
        { response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email', nonce: 'n-1' },
        'ann',
        PASSWORD,
      );
      assert.deepEqual(fns.take('pre-token'), [], 'the page issues a code; the tokens come at the exchange');
      const res = await fetch(`${c.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK }).toString(),
      });
      const tokens = (await res.json()) as Record<string, string>;
      assert.equal(res.status, 200);
      const [event] = fns.take('pre-token');
      assert.equal(event!.triggerSource, 'TokenGeneration_HostedAuth');
      assert.deepEqual(event!.request['scopes'], ['openid', 'email']);
      const id = await verified(poolId, tokens['id_token']!);
      assert.equal(id['via'], 'hosted');
      assert.equal(id['nonce'], 'n-1', 'the nonce is immutable');
      assert.equal((await verified(poolId, tokens['access_token']!))['scope'], 'openid');
    });

    it('answers a failed exchange with an OAuth error, leaving the code unspent and no family', async () => {
      const { clientId, secret, sub } = await poolWith(v2(), {
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      });
      const { location } = await hostedSignIn(c.url, { response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' }, 'ann', PASSWORD);
      fns.plan('pre-token', { throw: 'not now' });
      const exchange = () =>
        fetch(`${c.url}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
          body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK }).toString(),
        });
      const refused = await exchange();
      assert.equal(refused.status, 400);
      assert.deepEqual(await refused.json(), { error: 'invalid_request', error_description: 'PreTokenGeneration failed with error not now.' });
      assert.equal(await sessionsOf(sub), 0);
      fns.plan('pre-token', { unchanged: true });
      assert.equal((await exchange()).status, 200, 'the code was not consumed by the failed exchange');
    });

    it('answers the implicit grant with TokenGeneration_HostedAuth, the tokens in the redirect shaped', async () => {
      const { poolId, clientId } = await poolWith(v2(), {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['implicit'],
        AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      });
      fns.plan('pre-token', {
        respond: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { via: 'implicit' } },
            accessTokenGeneration: { claimsToAddOrOverride: { via: 'implicit' } },
          },
        },
      });
      const { location } = await hostedSignIn(c.url, { response_type: 'token', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' }, 'ann', PASSWORD);
      const fragment = new URLSearchParams(location.hash.slice(1));
      assert.equal((await verified(poolId, fragment.get('id_token')!))['via'], 'implicit');
      assert.equal((await verified(poolId, fragment.get('access_token')!))['via'], 'implicit');
      const [event] = fns.take('pre-token');
      assert.equal(event!.triggerSource, 'TokenGeneration_HostedAuth');
      assert.deepEqual(event!.request['scopes'], ['openid']);
    });

    it('is not asked for the client-credentials grant below V3_0', async () => {
      const { poolId } = await poolWith(v2());
      const m2m = await machineClient(poolId);
      const out = await c.anon.send(new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret }));
      assert.ok(out.ClientAuthenticationResult?.AccessToken);
      assert.deepEqual(fns.take('pre-token'), []);
    });
  });

  async function machineClient(poolId: string) {
    await c.admin.send(
      new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'Orders', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }] }),
    );
    const made = await createClient(c, poolId, {
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_CLIENT_TOKEN_AUTH' as ExplicitAuthFlowsType],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['orders/read'],
    });
    return { clientId: made.clientId, secret: made.secret! };
  }

  describe('a remembered device (TokenGeneration_AuthenticateDevice)', () => {
    it('is asked after DEVICE_PASSWORD_VERIFIER with the AuthenticateDevice source', async () => {
      const poolId = await createPool(c, {
        LambdaConfig: { PreTokenGeneration: arn },
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      });
      const { clientId } = await createClient(c, poolId);
      await createConfirmedUser(c, poolId, 'dev');
      fns.plan('pre-token', { unchanged: true });
      const first = (await passwordSignIn(c, clientId, 'dev')).AuthenticationResult!;
      const { DeviceKey, DeviceGroupKey } = first.NewDeviceMetadata!;
      const device = await deviceVerifier(DeviceGroupKey!, DeviceKey!);
      await c.anon.send(new ConfirmDeviceCommand({ AccessToken: first.AccessToken!, DeviceKey: DeviceKey!, DeviceSecretVerifierConfig: device.config }));
      await c.anon.send(new UpdateDeviceStatusCommand({ AccessToken: first.AccessToken!, DeviceKey: DeviceKey!, DeviceRememberedStatus: 'remembered' }));
      fns.take('pre-token');
      const challenge = await passwordSignIn(c, clientId, 'dev', PASSWORD, { DEVICE_KEY: DeviceKey! });
      assert.equal(challenge.ChallengeName, 'DEVICE_SRP_AUTH');
      const helper = newHelper(DeviceGroupKey!);
      const A = await largeA(helper);
      const srp = await c.anon.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_SRP_AUTH',
          Session: challenge.Session!,
          ChallengeResponses: { USERNAME: 'dev', DEVICE_KEY: DeviceKey!, SRP_A: A.toString(16) },
        }),
      );
      const p = srp.ChallengeParameters!;
      const key = await passwordKey(helper, DeviceKey!, device.password, p['SRP_B']!, p['SALT']!);
      const timestamp = formatTimestamp(Date.now());
      fns.plan('pre-token', { respond: { claimsOverrideDetails: { claimsToAddOrOverride: { device: 'known' } } } });
      const done = await c.anon.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: srp.Session!,
          ChallengeResponses: {
            USERNAME: 'dev',
            DEVICE_KEY: DeviceKey!,
            PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
            PASSWORD_CLAIM_SIGNATURE: claim(key, DeviceGroupKey!, DeviceKey!, p['SECRET_BLOCK']!, timestamp),
            TIMESTAMP: timestamp,
          },
        }),
      );
      assert.equal((await verified(poolId, done.AuthenticationResult!.IdToken!))['device'], 'known');
      const events = fns.take('pre-token');
      assert.deepEqual(
        events.map((e) => e.triggerSource),
        ['TokenGeneration_AuthenticateDevice'],
      );
    });
  });

  describe('V3_0: machine-to-machine tokens', () => {
    const v3 = () => ({ PreTokenGenerationConfig: { LambdaArn: arn, LambdaVersion: 'V3_0' as const } });

    it('shapes GetClientToken and client_credentials tokens (TokenGeneration_ClientCredentials) with their client metadata', async () => {
      const { poolId } = await poolWith(v3());
      const m2m = await machineClient(poolId);
      fns.plan('pre-token', {
        respond: {
          claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { machine: 'batch-7' }, scopesToAdd: ['orders/audit'] } },
        },
      });
      const viaApi = await c.anon.send(new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret, ClientMetadata: { job: 'nightly' } }));
      const apiClaims = await verified(poolId, viaApi.ClientAuthenticationResult!.AccessToken!);
      assert.equal(apiClaims['machine'], 'batch-7');
      assert.equal(apiClaims['scope'], 'orders/read orders/audit');
      assert.equal(apiClaims.sub, m2m.clientId);
      const res = await fetch(`${c.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: m2m.clientId,
          client_secret: m2m.secret,
          aws_client_metadata: JSON.stringify({ job: 'hourly' }),
        }).toString(),
      });
      assert.equal(res.status, 200);
      assert.equal((await verified(poolId, ((await res.json()) as { access_token: string }).access_token))['machine'], 'batch-7');
      const [apiEvent, endpointEvent] = fns.take('pre-token');
      for (const event of [apiEvent!, endpointEvent!]) {
        assert.equal(event.version, '3');
        assert.equal(event.triggerSource, 'TokenGeneration_ClientCredentials');
        assert.equal(event.callerContext.clientId, m2m.clientId);
        assert.deepEqual(event.request['scopes'], ['orders/read']);
      }
      assert.deepEqual(apiEvent!.request['clientMetadata'], { job: 'nightly' });
      assert.deepEqual(endpointEvent!.request['clientMetadata'], { job: 'hourly' });
    });

    it('refuses the client-credentials token when the function throws', async () => {
      const { poolId } = await poolWith(v3());
      const m2m = await machineClient(poolId);
      fns.plan('pre-token', { throw: 'machines rest' });
      await assert.rejects(c.anon.send(new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret })), {
        name: 'UserLambdaValidationException',
        message: 'PreTokenGeneration failed with error machines rest.',
      });
    });

    it('still shapes user tokens, as V2_0 does (AdminInitiateAuth)', async () => {
      const { poolId, clientId } = await poolWith(v3());
      fns.plan('pre-token', { respond: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { human: true } } } } });
      const out = await c.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'ann', PASSWORD },
        }),
      );
      assert.equal((await verified(poolId, out.AuthenticationResult!.AccessToken!))['human'], true);
      assert.equal(fns.take('pre-token')[0]!.version, '3');
    });
  });
});
