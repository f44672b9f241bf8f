import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddCustomAttributesCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  type SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type Running } from './helpers/server.ts';

// The schemas Cognito refuses in CreateUserPool and AddCustomAttributes, each
// refused the same way here, and the near misses it accepts, accepted.
describe('user pool schema validation', () => {
  let c: Running;
  before(async () => {
    c = await startCognate();
  });
  after(() => c.stop());

  let n = 0;
  const create = (Schema: SchemaAttributeType[]) => c.admin.send(new CreateUserPoolCommand({ PoolName: `schema-${n++}`, Schema }));
  const poolCount = async () => (await c.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length ?? 0;
  const schemaOf = async (poolId: string) => (await c.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.SchemaAttributes ?? [];
  const attribute = async (poolId: string, name: string) => (await schemaOf(poolId)).find((a) => a.Name === name);
  const refused = (message: string) => ({ name: 'InvalidParameterException', message });
  /** Refused by CreateUserPool with `message`, creating no pool. */
  const createRefused = async (Schema: SchemaAttributeType[], message: string) => {
    const before = await poolCount();
    await assert.rejects(create(Schema), refused(message));
    assert.equal(await poolCount(), before);
  };
  const newPool = async (Schema?: SchemaAttributeType[]) =>
    (await c.admin.send(new CreateUserPoolCommand({ PoolName: `schema-${n++}`, Schema }))).UserPool!.Id!;
  const add = (UserPoolId: string, CustomAttributes: SchemaAttributeType[]) => c.admin.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes }));

  describe('AttributeDataType', () => {
    it('CreateUserPool refuses a custom attribute without an AttributeDataType', async () => {
      await createRefused([{ Name: 'team', Mutable: true }], 'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.');
    });

    it('AddCustomAttributes refuses a custom attribute without an AttributeDataType, adding nothing', async () => {
      const poolId = await newPool();
      await assert.rejects(
        add(poolId, [{ Name: 'fine', AttributeDataType: 'String' }, { Name: 'team' }]),
        refused('Invalid AttributeDataType input, consider using the provided AttributeDataType enum.'),
      );
      assert.equal(await attribute(poolId, 'custom:fine'), undefined);
    });

    it('accepts a standard attribute without an AttributeDataType, keeping its own type', async () => {
      const poolId = await newPool([{ Name: 'email', Required: true, Mutable: true }]);
      const email = await attribute(poolId, 'email');
      assert.equal(email?.AttributeDataType, 'String');
      assert.equal(email?.Required, true);
    });

    it('refuses a standard attribute whose AttributeDataType differs from the standard one', async () => {
      await createRefused(
        [{ Name: 'email', AttributeDataType: 'Number' }],
        'You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email',
      );
    });

    it('refuses a standard attribute made developer-only', async () => {
      await createRefused(
        [{ Name: 'family_name', AttributeDataType: 'String', DeveloperOnlyAttribute: true }],
        'You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute family_name',
      );
    });

    it('accepts a standard attribute restating its own type and DeveloperOnlyAttribute false, as Terraform sends it', async () => {
      const poolId = await newPool([
        { Name: 'updated_at', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
        { Name: 'email_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false },
      ]);
      assert.equal((await attribute(poolId, 'updated_at'))?.AttributeDataType, 'Number');
      assert.equal((await attribute(poolId, 'email_verified'))?.DeveloperOnlyAttribute, false);
    });
  });

  describe('constraints that are not numbers', () => {
    it('refuses a StringAttributeConstraints MinLength that is not a number', async () => {
      await createRefused(
        [{ Name: 'code', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: 'one' } }],
        'Invalid StringAttributeConstraints for schema attribute custom:code',
      );
    });

    it('refuses a StringAttributeConstraints MaxLength that is not a number, on a standard attribute too', async () => {
      await createRefused(
        [{ Name: 'email', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: 'long' } }],
        'Invalid StringAttributeConstraints for schema attribute email',
      );
    });

    it('refuses a NumberAttributeConstraints MinValue that is not a number', async () => {
      await createRefused(
        [{ Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: 'low' } }],
        'Invalid NumberAttributeConstraints for schema attribute custom:level',
      );
    });

    it('refuses a NumberAttributeConstraints MaxValue that is not a number, through AddCustomAttributes too', async () => {
      const poolId = await newPool();
      await assert.rejects(
        add(poolId, [{ Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MaxValue: '10x' } }]),
        refused('Invalid NumberAttributeConstraints for schema attribute custom:level'),
      );
      assert.equal(await attribute(poolId, 'custom:level'), undefined);
    });

    it('refuses a string length that is not a whole number', async () => {
      await createRefused(
        [{ Name: 'code', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '2.5' } }],
        'Invalid StringAttributeConstraints for schema attribute custom:code',
      );
    });

    it('accepts negative and fractional number bounds, empty bounds as absent, and drops the other type’s constraints', async () => {
      const poolId = await newPool([
        { Name: 'temp', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '-40', MaxValue: '60.5' } },
        { Name: 'note', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '', MaxLength: '20' } },
        { Name: 'flag', AttributeDataType: 'Boolean', StringAttributeConstraints: { MaxLength: 'x' }, NumberAttributeConstraints: { MinValue: 'y' } },
        { Name: 'email', AttributeDataType: 'String', NumberAttributeConstraints: { MinValue: '1' } },
      ]);
      assert.deepEqual((await attribute(poolId, 'custom:temp'))?.NumberAttributeConstraints, { MinValue: '-40', MaxValue: '60.5' });
      assert.deepEqual((await attribute(poolId, 'custom:note'))?.StringAttributeConstraints, { MaxLength: '20' });
      const flag = await attribute(poolId, 'custom:flag');
      assert.equal(flag?.StringAttributeConstraints, undefined);
      assert.equal(flag?.NumberAttributeConstraints, undefined);
      const email = await attribute(poolId, 'email');
      assert.equal(email?.NumberAttributeConstraints, undefined);
      assert.deepEqual(email?.StringAttributeConstraints, { MinLength: '0', MaxLength: '2048' });
    });
  });

  describe('bounds', () => {
    it('refuses a string MaxLength above 2048', async () => {
      await createRefused(
        [{ Name: 'bio', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '2049' } }],
        'user.custom:bio: String attributes cannot have a length of more than 2048',
      );
    });

    it('refuses a string MinLength above 2048 on a standard attribute', async () => {
      await createRefused(
        [{ Name: 'address', StringAttributeConstraints: { MinLength: '3000' } }],
        'user.address: String attributes cannot have a length of more than 2048',
      );
    });

    it('accepts a string MaxLength of exactly 2048', async () => {
      const poolId = await newPool([{ Name: 'bio', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '2048' } }]);
      assert.deepEqual((await attribute(poolId, 'custom:bio'))?.StringAttributeConstraints, { MaxLength: '2048' });
    });

    it('refuses a MinLength above its MaxLength', async () => {
      await createRefused(
        [{ Name: 'email', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '5', MaxLength: '4' } }],
        'user.email: Max length cannot be less than min length.',
      );
    });

    it('refuses a MinValue above its MaxValue, through AddCustomAttributes too', async () => {
      await createRefused(
        [{ Name: 'updated_at', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '10', MaxValue: '9' } }],
        'user.updated_at: Max value cannot be less than min value.',
      );
      const poolId = await newPool();
      await assert.rejects(
        add(poolId, [{ Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '10', MaxValue: '9' } }]),
        refused('user.custom:level: Max value cannot be less than min value.'),
      );
    });

    it('accepts a minimum equal to its maximum', async () => {
      const poolId = await newPool([{ Name: 'pin', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '4', MaxLength: '4' } }]);
      assert.deepEqual((await attribute(poolId, 'custom:pin'))?.StringAttributeConstraints, { MinLength: '4', MaxLength: '4' });
    });
  });

  describe('names and fixed attributes', () => {
    it('refuses sub made mutable or optional', async () => {
      await createRefused([{ Name: 'sub', AttributeDataType: 'String', Mutable: true }], 'sub is a required, immutable attribute.');
      await createRefused([{ Name: 'sub', Required: false }], 'sub is a required, immutable attribute.');
    });

    it('refuses the same name twice in one schema', async () => {
      await createRefused(
        [
          { Name: 'team', AttributeDataType: 'String' },
          { Name: 'team', AttributeDataType: 'Number' },
        ],
        'Duplicate attribute name in schema: team',
      );
    });

    it('AddCustomAttributes refuses a name the schema has as a developer-only attribute, naming that attribute', async () => {
      const poolId = await newPool([{ Name: 'tier', AttributeDataType: 'String', DeveloperOnlyAttribute: true }]);
      await assert.rejects(
        add(poolId, [{ Name: 'tier', AttributeDataType: 'String', DeveloperOnlyAttribute: true }]),
        refused('custom:tier: Existing attribute already has name dev:custom:tier.'),
      );
      await assert.rejects(
        add(poolId, [{ Name: 'tier', AttributeDataType: 'String' }]),
        refused('custom:tier: Existing attribute already has name dev:custom:tier.'),
      );
    });

    it('AddCustomAttributes refuses the same name twice in one request', async () => {
      const poolId = await newPool();
      await assert.rejects(
        add(poolId, [
          { Name: 'team', AttributeDataType: 'String' },
          { Name: 'team', AttributeDataType: 'String' },
        ]),
        refused('custom:team: Existing attribute already has name custom:team.'),
      );
      assert.equal(await attribute(poolId, 'custom:team'), undefined);
    });
  });
});
