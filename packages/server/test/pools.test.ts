import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  ListTagsForResourceCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
  type SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { tablesWithColumn } from '../src/store/catalog.ts';
import { READ_CACHE_TTL_MS } from '../src/store/read-cache.ts';
import { startCognate, type Running } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const attrs = (record: Record<string, string>): AttributeType[] => Object.entries(record).map(([Name, Value]) => ({ Name, Value }));

describe('user pool management', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) =>
    (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }))).UserPool!.Id!;
  const describePool = async (poolId: string) => (await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  const newClient = async (poolId: string) =>
    (
      await c.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
  /** A confirmed user with a permanent password, signed in: their tokens. */
  const signedInUser = async (poolId: string, clientId: string, username: string, extra: Record<string, string> = {}) => {
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: attrs(extra),
      }),
    );
    const first = await c.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    const done = await c.anon.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session!,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: `${PASSWORD}x` },
      }),
    );
    return done.AuthenticationResult!;
  };
  const arnOf = (poolId: string) => `arn:aws:cognito-idp:${c.deps.config.region}:${c.deps.config.accountId}:userpool/${poolId}`;

  describe('UpdateUserPool', () => {
    it('resets every updatable setting the request leaves out to its default and keeps the immutable ones', async () => {
      const poolId = await newPool({
        AliasAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }],
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:pre' },
        DeletionProtection: 'ACTIVE',
        AutoVerifiedAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        EmailVerificationSubject: 'Hello',
        UserPoolTags: { team: 'identity' },
      });
      await c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, AutoVerifiedAttributes: ['email'] }));
      const pool = await describePool(poolId);
      // Reset to Cognito's defaults:
      assert.equal(pool.Policies?.PasswordPolicy?.MinimumLength, 8);
      assert.equal(pool.Policies?.PasswordPolicy?.RequireSymbols, true);
      assert.deepEqual(pool.LambdaConfig, {});
      assert.equal(pool.DeletionProtection, 'INACTIVE');
      assert.equal(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly, false);
      assert.equal(pool.VerificationMessageTemplate?.EmailSubject, 'Your verification code');
      assert.equal(pool.MfaConfiguration, 'OFF');
      // Given again:
      assert.deepEqual(pool.AutoVerifiedAttributes, ['email']);
      // Kept: what cannot change, the name, and the tags (which have their own operations).
      assert.equal(pool.Name, 'pool');
      assert.deepEqual(pool.AliasAttributes, ['email']);
      assert.deepEqual(pool.UsernameConfiguration, { CaseSensitive: false });
      assert.ok(pool.SchemaAttributes?.some((a) => a.Name === 'custom:team'));
      assert.deepEqual(pool.UserPoolTags, { team: 'identity' });
    });

    it('renames the pool when PoolName is given', async () => {
      const poolId = await newPool({ PoolName: 'before' });
      await c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, PoolName: 'after' }));
      assert.equal((await describePool(poolId)).Name, 'after');
    });

    it('applies the new settings on the very next call (a relaxed password policy lets a short password sign up)', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      const signUp = (username: string) => c.anon.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: 'abcdef' }));
      await assert.rejects(signUp('short1'), { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
      await c.admin.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          Policies: { PasswordPolicy: { MinimumLength: 6, RequireLowercase: false, RequireUppercase: false, RequireNumbers: false, RequireSymbols: false } },
        }),
      );
      assert.ok((await signUp('short2')).UserSub);
    });

    it('refuses AttributesRequireVerificationBeforeUpdate naming an attribute that is not auto-verified, changing nothing', async () => {
      const poolId = await newPool({ DeletionProtection: 'ACTIVE' });
      await assert.rejects(
        c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } })),
        { name: 'InvalidParameterException', message: 'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes' },
      );
      assert.equal((await describePool(poolId)).DeletionProtection, 'ACTIVE');
    });

    it('refuses MfaConfiguration ON when the pool offers no MFA factor', async () => {
      const poolId = await newPool();
      await assert.rejects(c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' })), {
        name: 'InvalidParameterException',
        message: 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
      });
      assert.equal((await describePool(poolId)).MfaConfiguration, 'OFF');
    });

    it('keeps the MFA factors while MfaConfiguration is given again, and turns them off with it when it resets to OFF', async () => {
      const poolId = await newPool();
      await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      await c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' }));
      let mfa = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(mfa.MfaConfiguration, 'ON');
      assert.deepEqual(mfa.SoftwareTokenMfaConfiguration, { Enabled: true });
      await c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId }));
      mfa = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(mfa.MfaConfiguration, 'OFF');
      assert.deepEqual(mfa.SoftwareTokenMfaConfiguration, { Enabled: false });
    });

    it('answers ResourceNotFoundException for an unknown pool', async () => {
      const missing = `${c.deps.config.region}_Missing01`;
      await assert.rejects(c.admin.send(new UpdateUserPoolCommand({ UserPoolId: missing })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missing} does not exist.`,
      });
    });
  });

  describe('DeleteUserPool', () => {
    it('is refused while deletion protection is ACTIVE, and allowed once it is made INACTIVE', async () => {
      const poolId = await newPool({ DeletionProtection: 'ACTIVE' });
      await assert.rejects(c.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })), {
        name: 'InvalidParameterException',
        message: 'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
      });
      assert.equal((await describePool(poolId)).Id, poolId);
      await c.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, DeletionProtection: 'INACTIVE' }));
      await c.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      await assert.rejects(describePool(poolId), { name: 'ResourceNotFoundException', message: `User pool ${poolId} does not exist.` });
    });

    it('removes every row of the pool: clients, keys, users, attributes, codes, sessions, challenges, mail', async () => {
      const poolId = await newPool({ AutoVerifiedAttributes: ['email'] });
      const clientId = await newClient(poolId);
      const tokens = await signedInUser(poolId, clientId, 'dora', { email: 'dora@example.com', email_verified: 'true' });
      // An open challenge session and a sign-up code with its mail.
      await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'eve', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
      await c.anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'eve', PASSWORD } }));
      await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'fay', Password: PASSWORD, UserAttributes: attrs({ email: 'fay@example.com' }) }));
      await c.inbox.nextCode('fay@example.com');

      // Another pool's rows must survive.
      const otherPool = await newPool();
      const otherClient = await newClient(otherPool);
      await signedInUser(otherPool, otherClient, 'gus');

      const db = c.deps.store.db;
      const counts = async (id: string) => {
        const out: Record<string, number> = {};
        // Our own schema's tables only: other test files' schemas come and go meanwhile (store/catalog.ts).
        const tables = [...(await tablesWithColumn(db, 'pool_id')).map((t) => [t, 'pool_id'] as const), ['user_pools', 'id'] as const];
        for (const [table, column] of tables) {
          const row = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${id}`.execute(db);
          out[table] = Number(row.rows[0]!.n);
        }
        return out;
      };
      const before = await counts(poolId);
      for (const table of ['user_pools', 'user_pool_clients', 'signing_keys', 'users', 'user_attributes', 'codes', 'sessions', 'auth_challenges', 'outbox']) {
        assert.ok((before[table] ?? 0) > 0, `expected rows in ${table} before deleting`);
      }

      await c.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      const afterDelete = await counts(poolId);
      assert.deepEqual(
        Object.entries(afterDelete).filter(([, n]) => n > 0),
        [],
      );
      const secrets = await db.selectFrom('client_secrets').select('secret_id').where('client_id', '=', clientId).execute();
      assert.equal(secrets.length, 0);
      await assert.rejects(c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), {
        name: 'NotAuthorizedException',
        message: 'Invalid Access Token',
      });
      const other = await counts(otherPool);
      assert.ok(other['users']! > 0 && other['sessions']! > 0 && other['user_pool_clients']! > 0);
    });
    it('a write that meets a pool deleted behind its cached copy answers ResourceNotFoundException, and the server keeps serving', async () => {
      const deletedMeanwhile = { name: 'ResourceNotFoundException', message: 'The resource this request refers to was deleted while it ran.' };
      // Conclusive only when the writes run while the pool and client are still
      // cached (READ_CACHE_TTL_MS); a slow round is tried again with a fresh pool.
      let conclusive = false;
      for (let attempt = 0; attempt < 5 && !conclusive; attempt++) {
        const poolId = await newPool({ AutoVerifiedAttributes: ['email'] });
        const clientId = await newClient(poolId);
        const cachedAt = performance.now();
        // Both reads fill this process's read cache: the pool, then the client.
        await describePool(poolId);
        await c.anon.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: `kept${attempt}`,
            Password: PASSWORD,
            UserAttributes: attrs({ email: `kept${attempt}@example.com` }),
          }),
        );
        // Deleted straight in the database, as another node would: this process's copy is not told.
        await c.deps.store.db.deleteFrom('user_pools').where('id', '=', poolId).execute();
        // SignUp first: a failed write through the pool store (CreateUserPoolClient) empties the cache, as any write does.
        const signUp = await c.anon
          .send(new SignUpCommand({ ClientId: clientId, Username: 'late', Password: PASSWORD, UserAttributes: attrs({ email: 'late@example.com' }) }))
          .catch((err: Error) => err);
        const late = await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'late' })).catch((err: Error) => err);
        if (performance.now() - cachedAt >= READ_CACHE_TTL_MS) continue; // the lookups may have answered instead of the foreign keys
        conclusive = true;
        for (const outcome of [late, signUp]) {
          assert.ok(outcome instanceof Error, 'the write was refused');
          assert.deepEqual({ name: outcome.name, message: outcome.message }, deletedMeanwhile);
        }
        assert.equal((await c.deps.store.db.selectFrom('users').select('sub').where('pool_id', '=', poolId).execute()).length, 0);
      }
      assert.ok(conclusive, `no attempt ran within the read-cache bound (${READ_CACHE_TTL_MS} ms)`);
      assert.equal((await describePool(await newPool())).Name, 'pool');
    });
  });

  describe('AddCustomAttributes', () => {
    it('adds custom: and dev:custom: attributes with their constraints to the schema', async () => {
      const poolId = await newPool();
      await c.admin.send(
        new AddCustomAttributesCommand({
          UserPoolId: poolId,
          CustomAttributes: [
            { Name: 'nick', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
            { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
            { Name: 'tier', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
          ],
        }),
      );
      const schema = (await describePool(poolId)).SchemaAttributes ?? [];
      const find = (name: string) => schema.find((a) => a.Name === name);
      assert.deepEqual(find('custom:nick')?.StringAttributeConstraints, { MinLength: '2', MaxLength: '5' });
      assert.equal(find('custom:level')?.AttributeDataType, 'Number');
      assert.deepEqual(find('custom:level')?.NumberAttributeConstraints, { MinValue: '1', MaxValue: '10' });
      assert.equal(find('dev:custom:tier')?.DeveloperOnlyAttribute, true);
      assert.equal(find('custom:tier'), undefined);
    });

    it('refuses a name the schema already has, adding none of the request', async () => {
      const poolId = await newPool({ Schema: [{ Name: 'team', AttributeDataType: 'String' }] });
      await assert.rejects(
        c.admin.send(
          new AddCustomAttributesCommand({
            UserPoolId: poolId,
            CustomAttributes: [
              { Name: 'fresh', AttributeDataType: 'String' },
              { Name: 'team', AttributeDataType: 'String' },
            ],
          }),
        ),
        { name: 'InvalidParameterException', message: 'custom:team: Existing attribute already has name custom:team.' },
      );
      assert.equal(
        (await describePool(poolId)).SchemaAttributes?.find((a) => a.Name === 'custom:fresh'),
        undefined,
      );
    });

    it('refuses more than 50 custom attributes in a pool', async () => {
      const many = (from: number, n: number): SchemaAttributeType[] =>
        Array.from({ length: n }, (_, i) => ({ Name: `a${from + i}`, AttributeDataType: 'String' }));
      const poolId = await newPool();
      await c.admin.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: many(0, 25) }));
      await c.admin.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: many(25, 25) }));
      await assert.rejects(c.admin.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: many(50, 1) })), {
        name: 'InvalidParameterException',
        message: 'A user pool can have at most 50 custom attributes.',
      });
    });

    it('refuses constraints whose minimum exceeds their maximum', async () => {
      const poolId = await newPool();
      await assert.rejects(
        c.admin.send(
          new AddCustomAttributesCommand({
            UserPoolId: poolId,
            CustomAttributes: [{ Name: 'n', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '9', MaxValue: '1' } }],
          }),
        ),
        {
          name: 'InvalidParameterException',
          message: 'user.custom:n: Max value cannot be less than min value.',
        },
      );
      await assert.rejects(
        c.admin.send(
          new AddCustomAttributesCommand({
            UserPoolId: poolId,
            CustomAttributes: [{ Name: 's', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '3', MaxLength: '2' } }],
          }),
        ),
        {
          name: 'InvalidParameterException',
          message: 'user.custom:s: Max length cannot be less than min length.',
        },
      );
    });

    it('enforces the constraints on every write of the attribute', async () => {
      const poolId = await newPool();
      await c.admin.send(
        new AddCustomAttributesCommand({
          UserPoolId: poolId,
          CustomAttributes: [
            { Name: 'nick', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
            { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
          ],
        }),
      );
      const clientId = await newClient(poolId);
      const tokens = await signedInUser(poolId, clientId, 'hal');
      const adminWrite = (record: Record<string, string>) =>
        c.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'hal', UserAttributes: attrs(record) }));
      await assert.rejects(adminWrite({ 'custom:nick': 'toolong' }), {
        name: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: custom:nick: String is too long\n',
      });
      await assert.rejects(adminWrite({ 'custom:level': '11' }), {
        name: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: custom:level: Number is out of the allowed range\n',
      });
      await assert.rejects(c.anon.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: attrs({ 'custom:nick': 'x' }) })), {
        name: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: custom:nick: String is too short\n',
      });
      await adminWrite({ 'custom:nick': 'ok', 'custom:level': '10' });
      const user = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'hal' }));
      assert.equal(user.UserAttributes?.find((a) => a.Name === 'custom:level')?.Value, '10');
    });

    it('lets only operators write a developer-only attribute, and hides it from the user', async () => {
      const poolId = await newPool();
      await c.admin.send(
        new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: [{ Name: 'tier', AttributeDataType: 'String', DeveloperOnlyAttribute: true }] }),
      );
      const clientId = await newClient(poolId);
      const tokens = await signedInUser(poolId, clientId, 'ivy');
      await c.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'ivy', UserAttributes: attrs({ 'dev:custom:tier': 'gold' }) }));
      const seen = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ivy' }));
      assert.equal(seen.UserAttributes?.find((a) => a.Name === 'dev:custom:tier')?.Value, 'gold');

      for (const name of ['dev:custom:tier', 'custom:tier']) {
        await assert.rejects(
          c.anon.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: attrs({ [name]: 'platinum' }) })),
          {
            name: 'InvalidParameterException',
            message: `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.\n`,
          },
        );
      }
      await assert.rejects(
        c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'jay', Password: PASSWORD, UserAttributes: attrs({ 'dev:custom:tier': 'gold' }) })),
        { name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: dev:custom:tier: Attribute does not exist in the schema.\n' },
      );
      const own = await c.anon.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
      assert.equal(
        own.UserAttributes?.find((a) => a.Name === 'dev:custom:tier'),
        undefined,
      );
      const still = await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ivy' }));
      assert.equal(still.UserAttributes?.find((a) => a.Name === 'dev:custom:tier')?.Value, 'gold');
    });
  });

  describe('GetUserPoolMfaConfig and SetUserPoolMfaConfig', () => {
    it('reports MFA off with no factor for a new pool', async () => {
      const poolId = await newPool();
      const out = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(out.MfaConfiguration, 'OFF');
      assert.deepEqual(out.SoftwareTokenMfaConfiguration, { Enabled: false });
      assert.equal(out.SmsMfaConfiguration, undefined);
      assert.equal(out.EmailMfaConfiguration, undefined);
    });

    it('stores the mode and factors, reflected in GetUserPoolMfaConfig and DescribeUserPool', async () => {
      const poolId = await newPool();
      const set = await c.admin.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'OPTIONAL',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          EmailMfaConfiguration: { Message: 'Code: {####}', Subject: 'Your code' },
          WebAuthnConfiguration: { RelyingPartyId: 'auth.example.com', UserVerification: 'required' },
        }),
      );
      assert.equal(set.MfaConfiguration, 'OPTIONAL');
      const got = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(got.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: true });
      assert.deepEqual(got.EmailMfaConfiguration, { Message: 'Code: {####}', Subject: 'Your code' });
      assert.deepEqual(got.WebAuthnConfiguration, { RelyingPartyId: 'auth.example.com', UserVerification: 'required' });
      const pool = await describePool(poolId);
      assert.equal(pool.MfaConfiguration, 'OPTIONAL');
      assert.equal((pool as Record<string, unknown>)['MfaFactors'], undefined);

      // A later call replaces the factors: the ones left out are off.
      await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const again = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(again.MfaConfiguration, 'ON');
      assert.equal(again.EmailMfaConfiguration, undefined);
      assert.equal((await describePool(poolId)).MfaConfiguration, 'ON');
    });

    it('enables SMS MFA with the pool SMS configuration', async () => {
      const poolId = await newPool();
      const SmsConfiguration = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x', SnsRegion: 'us-east-1' };
      await c.admin.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'ON',
          SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration },
        }),
      );
      const got = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.deepEqual(got.SmsMfaConfiguration, { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration });
      assert.deepEqual((await describePool(poolId)).SmsConfiguration, SmsConfiguration);
    });

    it("refuses a factor with MFA OFF, and ON or OPTIONAL with no factor, in Cognito's words, changing nothing", async () => {
      const poolId = await newPool();
      await assert.rejects(
        c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } })),
        { name: 'InvalidParameterException', message: "Invalid MFA configuration given, can't turn off MFA and configure an MFA together." },
      );
      for (const mode of ['ON', 'OPTIONAL'] as const) {
        await assert.rejects(c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: mode })), {
          name: 'InvalidParameterException',
          message: "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
        });
      }
      const got = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(got.MfaConfiguration, 'OFF');
      assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: false });
    });

    it('accepts passkey settings with MFA OFF: WebAuthn is not an MFA factor', async () => {
      const poolId = await newPool();
      await c.admin.send(
        new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'example.com' } }),
      );
      const got = await c.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.deepEqual(got.WebAuthnConfiguration, { RelyingPartyId: 'example.com', UserVerification: 'preferred' });
    });
  });

  describe('TagResource, UntagResource and ListTagsForResource', () => {
    it("seeds tags from CreateUserPool, merges, removes, and shows them as DescribeUserPool's UserPoolTags", async () => {
      const poolId = await newPool({ UserPoolTags: { env: 'dev', team: 'identity' } });
      const list = async () => (await c.admin.send(new ListTagsForResourceCommand({ ResourceArn: arnOf(poolId) }))).Tags;
      assert.deepEqual(await list(), { env: 'dev', team: 'identity' });
      await c.admin.send(new TagResourceCommand({ ResourceArn: arnOf(poolId), Tags: { env: 'prod', cost: '42' } }));
      assert.deepEqual(await list(), { env: 'prod', team: 'identity', cost: '42' });
      await c.admin.send(new UntagResourceCommand({ ResourceArn: arnOf(poolId), TagKeys: ['team', 'absent'] }));
      assert.deepEqual(await list(), { env: 'prod', cost: '42' });
      assert.deepEqual((await describePool(poolId)).UserPoolTags, { env: 'prod', cost: '42' });
    });

    it('refuses a malformed ARN and answers not found for an unknown pool or another account', async () => {
      const poolId = await newPool();
      const bad = 'arn:aws:s3:us-east-1:123456789012:bucket/x';
      await assert.rejects(c.admin.send(new ListTagsForResourceCommand({ ResourceArn: bad })), {
        name: 'InvalidParameterException',
        message: `Invalid resource ARN: ${bad}`,
      });
      const missing = `${c.deps.config.region}_Missing02`;
      await assert.rejects(c.admin.send(new TagResourceCommand({ ResourceArn: arnOf(missing), Tags: { a: 'b' } })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missing} does not exist.`,
      });
      const otherAccount = `arn:aws:cognito-idp:${c.deps.config.region}:999999999999:userpool/${poolId}`;
      await assert.rejects(c.admin.send(new UntagResourceCommand({ ResourceArn: otherAccount, TagKeys: ['a'] })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${poolId} does not exist.`,
      });
    });

    it('refuses more than 50 tags on a pool, keeping the ones it had', async () => {
      const poolId = await newPool({ UserPoolTags: { keep: 'me' } });
      const Tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
      await assert.rejects(c.admin.send(new TagResourceCommand({ ResourceArn: arnOf(poolId), Tags })), {
        name: 'InvalidParameterException',
        message: 'A user pool can have at most 50 tags.',
      });
      assert.deepEqual((await c.admin.send(new ListTagsForResourceCommand({ ResourceArn: arnOf(poolId) }))).Tags, { keep: 'me' });
    });
  });
});
