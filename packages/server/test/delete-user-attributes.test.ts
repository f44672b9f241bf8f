import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminDeleteUserAttributesCommand, AdminGetUserCommand, DeleteUserAttributesCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { userFixtures } from './helpers/user-fixtures.ts';

const asRecord = (list: { Name?: string; Value?: string }[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

describe('AdminDeleteUserAttributes and DeleteUserAttributes', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(() => c.stop());

  const { email, newPool, newUser, signIn } = userFixtures(() => c);
  const getAttrs = async (poolId: string, username: string) =>
    asRecord((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes);

  describe('AdminDeleteUserAttributes', () => {
    it('deletes the named attributes, and a deleted email takes its verified flag with it', async () => {
      const { poolId } = await newPool();
      const address = email('del');
      await newUser(poolId, 'dora', { email: address, email_verified: 'true', given_name: 'Dora', family_name: 'X' });
      await c.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'dora', UserAttributeNames: ['email', 'given_name'] }));
      const left = await getAttrs(poolId, 'dora');
      assert.equal(left['email'], undefined);
      assert.equal(left['email_verified'], undefined);
      assert.equal(left['given_name'], undefined);
      assert.equal(left['family_name'], 'X');
      assert.ok(left['sub']);
    });

    it('an email alias stops signing in once the email is deleted', async () => {
      const { poolId, clientId } = await newPool({ AliasAttributes: ['email'] });
      const address = email('alias');
      await newUser(poolId, 'alia', { email: address, email_verified: 'true' });
      assert.ok((await signIn(clientId, address)).AuthenticationResult?.AccessToken);
      await c.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'alia', UserAttributeNames: ['email'] }));
      await assert.rejects(signIn(clientId, address), { name: 'UserNotFoundException', message: 'User does not exist.' });
      assert.ok((await signIn(clientId, 'alia')).AuthenticationResult?.AccessToken, 'the username still signs in');
    });

    it('refuses required, immutable and unknown attributes, and deletes nothing then', async () => {
      const { poolId } = await newPool({
        Schema: [
          { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
          { Name: 'custom:tier', AttributeDataType: 'String', Mutable: false },
        ],
      });
      await newUser(poolId, 'rita', { email: email('req'), given_name: 'Rita', 'custom:tier': 'gold' });
      const del = (names: string[]) => c.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'rita', UserAttributeNames: names }));
      await assert.rejects(del(['given_name', 'email']), {
        name: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: email: The attribute is required\n',
      });
      await assert.rejects(del(['custom:tier']), { name: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute custom:tier' });
      await assert.rejects(del(['sub']), { name: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute sub' });
      await assert.rejects(del(['custom:nope']), {
        name: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n',
      });
      const left = await getAttrs(poolId, 'rita');
      assert.equal(left['given_name'], 'Rita', 'nothing was deleted by the refused calls');
      assert.equal(left['custom:tier'], 'gold');
    });

    it('answers UserNotFoundException and ResourceNotFoundException for what does not exist', async () => {
      const { poolId } = await newPool();
      await assert.rejects(c.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'ghost', UserAttributeNames: ['given_name'] })), {
        name: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      const missing = `${c.deps.config.region}_Missing00`;
      await assert.rejects(c.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: missing, Username: 'x', UserAttributeNames: ['given_name'] })), {
        name: 'ResourceNotFoundException',
        message: `User pool ${missing} does not exist.`,
      });
    });
  });

  describe('DeleteUserAttributes', () => {
    it('lets the signed-in user delete their own attributes, phone number and flag together', async () => {
      const { poolId, clientId } = await newPool();
      await newUser(poolId, 'pat', { phone_number: '+15555550100', phone_number_verified: 'true', nickname: 'P' });
      const token = (await signIn(clientId, 'pat')).AuthenticationResult!.AccessToken!;
      await c.anon.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['phone_number', 'nickname'] }));
      const left = asRecord((await c.anon.send(new GetUserCommand({ AccessToken: token }))).UserAttributes);
      assert.equal(left['phone_number'], undefined);
      assert.equal(left['phone_number_verified'], undefined);
      assert.equal(left['nickname'], undefined);
    });

    it("holds the user to the client's WriteAttributes and keeps the verified flags out of reach", async () => {
      const { poolId, clientId } = await newPool({}, { WriteAttributes: ['nickname'] });
      await newUser(poolId, 'wes', { email: email('w'), email_verified: 'true', given_name: 'Wes', nickname: 'W' });
      const token = (await signIn(clientId, 'wes')).AuthenticationResult!.AccessToken!;
      const del = (names: string[]) => c.anon.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: names }));
      await assert.rejects(del(['given_name']), { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
      const open = await newPool();
      await newUser(open.poolId, 'vic', { email: email('v'), email_verified: 'true' });
      const vicToken = (await signIn(open.clientId, 'vic')).AuthenticationResult!.AccessToken!;
      await assert.rejects(c.anon.send(new DeleteUserAttributesCommand({ AccessToken: vicToken, UserAttributeNames: ['email_verified'] })), {
        name: 'NotAuthorizedException',
        message: 'A client attempted to write unauthorized attribute',
      });
      assert.equal((await getAttrs(open.poolId, 'vic'))['email_verified'], 'true');
      await del(['nickname']);
      assert.equal((await getAttrs(poolId, 'wes'))['nickname'], undefined);
    });

    it('refuses a bad access token', async () => {
      await assert.rejects(c.anon.send(new DeleteUserAttributesCommand({ AccessToken: 'a.b.c', UserAttributeNames: ['nickname'] })), {
        name: 'NotAuthorizedException',
        message: 'Invalid Access Token',
      });
    });
  });
});
