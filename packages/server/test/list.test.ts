import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminDisableUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  SignUpCommand,
  type AttributeType,
  type ListUsersCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';

// ListUsers against a pool of three users with every searchable attribute set.
// The fake clock moves a second between sign-ups so creation order is known.
describe('ListUsers', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  let poolId: string;
  let clientId: string;
  const subs: Record<string, string> = {};

  const newPool = async (extra: { CaseSensitive?: boolean } = {}) => {
    const pool = await c.admin.send(
      new CreateUserPoolCommand({
        PoolName: 'list',
        ...(extra.CaseSensitive === undefined ? {} : { UsernameConfiguration: { CaseSensitive: extra.CaseSensitive } }),
      }),
    );
    const id = pool.UserPool!.Id!;
    const client = await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'app' }));
    return { id, clientId: client.UserPoolClient!.ClientId! };
  };
  const signUp = async (client: string, username: string, attrs: Record<string, string> = {}) => {
    clock.advance(1000);
    const UserAttributes: AttributeType[] = Object.entries(attrs).map(([Name, Value]) => ({ Name, Value }));
    return (await c.anon.send(new SignUpCommand({ ClientId: client, Username: username, Password: 'Passw0rd!', UserAttributes }))).UserSub!;
  };
  const list = (input: Partial<ListUsersCommandInput> = {}) => c.admin.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));
  const names = async (Filter: string, pool = poolId) =>
    ((await c.admin.send(new ListUsersCommand({ UserPoolId: pool, Filter }))).Users ?? []).map((u) => u.Username);

  before(async () => {
    c = await startCognate({ clock });
    ({ id: poolId, clientId } = await newPool());
    subs['alice'] = await signUp(clientId, 'alice', {
      email: 'Alice@Example.com',
      phone_number: '+15550000001',
      name: 'Alice Smith',
      given_name: 'Alice',
      family_name: 'Smith',
      preferred_username: 'ali',
    });
    subs['bob'] = await signUp(clientId, 'bob', {
      email: 'bob@example.org',
      phone_number: '+15550000002',
      name: 'Bob Smythe',
      given_name: 'Bob',
      family_name: 'Smythe',
      preferred_username: 'bobby',
    });
    subs['carol'] = await signUp(clientId, 'carol', {
      email: 'carol@example.com',
      phone_number: '+15550000003',
      name: 'Carol "CJ" Smith',
      given_name: 'Carol',
      family_name: 'Smith',
      preferred_username: 'cj',
    });
    await c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'alice' }));
    await c.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'bob' }));
    await c.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'bob' }));
  });
  after(() => c.stop());

  it('lists every user in creation order as UserType when no filter is given', async () => {
    const out = await list();
    assert.deepEqual(
      out.Users?.map((u) => u.Username),
      ['alice', 'bob', 'carol'],
    );
    assert.equal(out.PaginationToken, undefined);
    const bob = out.Users![1]!;
    assert.deepEqual(Object.keys(bob).sort(), ['Attributes', 'Enabled', 'UserCreateDate', 'UserLastModifiedDate', 'UserStatus', 'Username']);
    assert.equal(bob.Enabled, false);
    assert.equal(bob.UserStatus, 'CONFIRMED');
    assert.ok(bob.UserCreateDate instanceof Date);
    assert.ok(bob.UserLastModifiedDate instanceof Date);
    assert.deepEqual(bob.Attributes?.[0], { Name: 'sub', Value: subs['bob'] });
    assert.equal(bob.Attributes?.find((a) => a.Name === 'email')?.Value, 'bob@example.org');
    assert.deepEqual(
      (await list({ Filter: '' })).Users?.map((u) => u.Username),
      ['alice', 'bob', 'carol'],
    );
  });

  it('matches username exactly and by prefix, with case, in a case-sensitive pool', async () => {
    assert.deepEqual(await names('username = "alice"'), ['alice']);
    assert.deepEqual(await names('username = "Alice"'), []);
    assert.deepEqual(await names('username ^= "ca"'), ['carol']);
    assert.deepEqual(await names('username ^= "CA"'), []);
  });

  it('matches username without case in a case-insensitive pool', async () => {
    const p = await newPool({ CaseSensitive: false });
    await signUp(p.clientId, 'Dave');
    await signUp(p.clientId, 'erin');
    assert.deepEqual(await names('username = "dave"', p.id), ['Dave']);
    assert.deepEqual(await names('username = "DAVE"', p.id), ['Dave']);
    assert.deepEqual(await names('username ^= "E"', p.id), ['erin']);
  });

  it('matches email without case, exactly and by prefix', async () => {
    assert.deepEqual(await names('email = "alice@example.com"'), ['alice']);
    assert.deepEqual(await names('email = "ALICE@EXAMPLE.COM"'), ['alice']);
    assert.deepEqual(await names('email ^= "CAROL@"'), ['carol']);
    assert.deepEqual(await names('email ^= "alice@example.co"'), ['alice']);
    assert.deepEqual(await names('email = "alice@example.co"'), []);
  });

  it('matches phone_number exactly and by prefix', async () => {
    assert.deepEqual(await names('phone_number = "+15550000002"'), ['bob']);
    assert.deepEqual(await names('phone_number ^= "+1555000000"'), ['alice', 'bob', 'carol']);
    assert.deepEqual(await names('phone_number = "+1555000000"'), []);
  });

  it('matches name, with escaped quotes in the value', async () => {
    assert.deepEqual(await names('name = "Carol \\"CJ\\" Smith"'), ['carol']);
    assert.deepEqual(await names('name ^= "Bob"'), ['bob']);
    assert.deepEqual(await names('name = "Bob"'), []);
  });

  it('matches a prefix counted in characters, not UTF-16 units (astral and accented letters)', async () => {
    const p = await newPool();
    await signUp(p.clientId, 'astral', { given_name: '\u{1D49C}lice' });
    await signUp(p.clientId, 'accent', { given_name: '\u00C9mile' });
    assert.deepEqual(await names('given_name ^= "\u{1D49C}"', p.id), ['astral']);
    assert.deepEqual(await names('given_name ^= "\u00C9m"', p.id), ['accent']);
    assert.deepEqual(await names('given_name = "\u00C9mile"', p.id), ['accent']);
  });

  it('matches given_name and family_name as given (with case)', async () => {
    assert.deepEqual(await names('given_name = "Alice"'), ['alice']);
    assert.deepEqual(await names('given_name = "alice"'), []);
    assert.deepEqual(await names('given_name ^= "C"'), ['carol']);
    assert.deepEqual(await names('family_name = "Smith"'), ['alice', 'carol']);
    assert.deepEqual(await names('family_name ^= "Sm"'), ['alice', 'bob', 'carol']);
    assert.deepEqual(await names('family_name ^= "sm"'), []);
  });

  it('matches preferred_username exactly and by prefix', async () => {
    assert.deepEqual(await names('preferred_username = "bobby"'), ['bob']);
    assert.deepEqual(await names('preferred_username ^= "c"'), ['carol']);
    assert.deepEqual(await names('preferred_username = "bob"'), []);
  });

  it('matches sub exactly and by prefix', async () => {
    assert.deepEqual(await names(`sub = "${subs['alice']}"`), ['alice']);
    assert.deepEqual(await names(`sub ^= "${subs['bob']!.slice(0, 13)}"`), ['bob']);
  });

  it('matches cognito:user_status without case', async () => {
    assert.deepEqual(await names('cognito:user_status = "UNCONFIRMED"'), ['carol']);
    assert.deepEqual(await names('cognito:user_status = "confirmed"'), ['alice', 'bob']);
    assert.deepEqual(await names('cognito:user_status ^= "Conf"'), ['alice', 'bob']);
  });

  it('matches status "Enabled" / "Disabled" with case', async () => {
    assert.deepEqual(await names('status = "Disabled"'), ['bob']);
    assert.deepEqual(await names('status = "Enabled"'), ['alice', 'carol']);
    assert.deepEqual(await names('status = "disabled"'), []);
    assert.deepEqual(await names('status ^= "Dis"'), ['bob']);
    assert.deepEqual(await names('status ^= "En"'), ['alice', 'carol']);
  });

  it('accepts the filter without spaces around the operator', async () => {
    assert.deepEqual(await names('email="bob@example.org"'), ['bob']);
    assert.deepEqual(await names('given_name^="Ca"'), ['carol']);
  });

  it('refuses a filter that does not parse with InvalidParameterException "Error while parsing filter."', async () => {
    for (const Filter of ['email', 'email = bob', 'email == "bob"', 'email = "a" and name = "b"']) {
      await assert.rejects(list({ Filter }), { name: 'InvalidParameterException', message: 'Error while parsing filter.' });
    }
  });

  it('refuses an attribute that is not searchable with InvalidParameterException', async () => {
    await assert.rejects(list({ Filter: 'custom:team = "x"' }), { name: 'InvalidParameterException', message: 'Invalid search attribute: custom:team' });
    await assert.rejects(list({ Filter: 'nickname = "x"' }), { name: 'InvalidParameterException', message: 'Invalid search attribute: nickname' });
  });

  it('refuses a filter longer than 256 characters with the validation message', async () => {
    const Filter = `email = "${'a'.repeat(250)}"`;
    await assert.rejects(list({ Filter }), {
      name: 'InvalidParameterException',
      message: `1 validation error detected: Value '${Filter}' at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256`,
    });
  });

  it('returns only the attributes named in AttributesToGet, and none for an empty list', async () => {
    const only = await list({ AttributesToGet: ['email', 'given_name'] });
    for (const u of only.Users ?? [])
      assert.deepEqual(
        u.Attributes?.map((a) => a.Name),
        ['email', 'given_name'],
      );
    const none = await list({ AttributesToGet: [] });
    assert.equal(none.Users?.length, 3);
    for (const u of none.Users ?? []) assert.deepEqual(u.Attributes, []);
    const all = await list();
    assert.ok((all.Users?.[0]?.Attributes?.length ?? 0) > 2);
  });

  it('refuses AttributesToGet naming an attribute a listed user lacks, unless the filter leaves those users out', async () => {
    const p = await newPool();
    await signUp(p.clientId, 'with-nick', { nickname: 'nick' });
    await signUp(p.clientId, 'without-nick');
    await assert.rejects(c.admin.send(new ListUsersCommand({ UserPoolId: p.id, AttributesToGet: ['nickname'] })), {
      name: 'InvalidParameterException',
      message: 'One or more requested attributes do not exist.',
    });
    const out = await c.admin.send(new ListUsersCommand({ UserPoolId: p.id, AttributesToGet: ['nickname'], Filter: 'username = "with-nick"' }));
    assert.deepEqual(out.Users?.[0]?.Attributes, [{ Name: 'nickname', Value: 'nick' }]);
    await assert.rejects(list({ AttributesToGet: ['custom:nope'] }), { name: 'InvalidParameterException' });
  });

  describe('pagination', () => {
    let pagedPool: string;
    const created: string[] = [];
    before(async () => {
      const p = await newPool();
      pagedPool = p.id;
      for (let i = 1; i <= 7; i++) {
        const username = `user-${i}`;
        await signUp(p.clientId, username, { family_name: i % 2 ? 'Odd' : 'Even' });
        created.push(username);
      }
    });

    const page = (input: Partial<ListUsersCommandInput>) => c.admin.send(new ListUsersCommand({ UserPoolId: pagedPool, ...input }));

    it('returns 7 users with Limit 3 in three pages, each exactly once and in creation order', async () => {
      const seen: UserType[] = [];
      const sizes: number[] = [];
      let PaginationToken: string | undefined;
      do {
        const out = await page({ Limit: 3, PaginationToken });
        sizes.push(out.Users?.length ?? 0);
        seen.push(...(out.Users ?? []));
        PaginationToken = out.PaginationToken;
      } while (PaginationToken && sizes.length < 10);
      assert.deepEqual(sizes, [3, 3, 1]);
      assert.deepEqual(
        seen.map((u) => u.Username),
        created,
      );
    });

    it('pages through a filtered listing', async () => {
      const first = await page({ Limit: 2, Filter: 'family_name = "Odd"' });
      assert.deepEqual(
        first.Users?.map((u) => u.Username),
        ['user-1', 'user-3'],
      );
      const second = await page({ Limit: 2, Filter: 'family_name = "Odd"', PaginationToken: first.PaginationToken });
      assert.deepEqual(
        second.Users?.map((u) => u.Username),
        ['user-5', 'user-7'],
      );
      assert.equal(second.PaginationToken, undefined);
    });

    it('lists up to 60 users when Limit is left out', async () => {
      const out = await page({});
      assert.equal(out.Users?.length, 7);
      assert.equal(out.PaginationToken, undefined);
    });

    it('pages users created in the same millisecond exactly once (ties broken by sub)', async () => {
      const p = await newPool();
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        const UserAttributes: AttributeType[] = [];
        await c.anon.send(new SignUpCommand({ ClientId: p.clientId, Username: `tie-${i}`, Password: 'Passw0rd!', UserAttributes }));
        made.push(`tie-${i}`);
      }
      const seen: string[] = [];
      let PaginationToken: string | undefined;
      let pages = 0;
      do {
        const out = await c.admin.send(new ListUsersCommand({ UserPoolId: p.id, Limit: 2, PaginationToken }));
        seen.push(...(out.Users ?? []).map((u) => u.Username!));
        PaginationToken = out.PaginationToken;
        pages++;
      } while (PaginationToken && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual([...seen].sort(), made);
    });

    it('refuses Limit 0 and Limit 61 with InvalidParameterException', async () => {
      await assert.rejects(page({ Limit: 0 }), {
        name: 'InvalidParameterException',
        message: /at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1/,
      });
      await assert.rejects(page({ Limit: 61 }), {
        name: 'InvalidParameterException',
        message: /at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60/,
      });
    });

    it('refuses a tampered PaginationToken with InvalidParameterException', async () => {
      const first = await page({ Limit: 3 });
      const token = first.PaginationToken!;
      const i = Math.floor(token.length / 2);
      const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      await assert.rejects(page({ Limit: 3, PaginationToken: tampered }), { name: 'InvalidParameterException' });
      await assert.rejects(page({ Limit: 3, PaginationToken: 'bm90LWEtdG9rZW4' }), { name: 'InvalidParameterException' });
    });

    // Cognito: a token is presented "with the same parameters"; from another
    // query it answers "Paging marker <token> is invalid for request <id>".
    const refusesToken = async (input: Partial<ListUsersCommandInput>, token: string) => {
      const err = await page({ ...input, PaginationToken: token }).then(
        () => assert.fail('a token from another query was accepted'),
        (e: { name: string; message: string; $metadata: { requestId?: string } }) => e,
      );
      assert.equal(err.name, 'InvalidParameterException');
      assert.ok(err.$metadata.requestId);
      assert.equal(err.message, `Paging marker ${token} is invalid for request ${err.$metadata.requestId}`);
    };

    it('refuses a PaginationToken from a filtered listing with another Filter or with none', async () => {
      const first = await page({ Limit: 2, Filter: 'family_name = "Odd"' });
      const token = first.PaginationToken!;
      await refusesToken({ Limit: 2 }, token);
      await refusesToken({ Limit: 2, Filter: '' }, token);
      await refusesToken({ Limit: 2, Filter: 'family_name = "Even"' }, token);
      await refusesToken({ Limit: 2, Filter: 'family_name ^= "Odd"' }, token);
      const unfiltered = (await page({ Limit: 2 })).PaginationToken!;
      await refusesToken({ Limit: 2, Filter: 'family_name = "Odd"' }, unfiltered);
    });

    it('refuses a PaginationToken used with other AttributesToGet', async () => {
      const token = (await page({ Limit: 2, AttributesToGet: ['family_name'] })).PaginationToken!;
      await refusesToken({ Limit: 2 }, token);
      await refusesToken({ Limit: 2, AttributesToGet: [] }, token);
      await refusesToken({ Limit: 2, AttributesToGet: ['family_name', 'sub'] }, token);
      const none = (await page({ Limit: 2, AttributesToGet: [] })).PaginationToken!;
      await refusesToken({ Limit: 2 }, none);
    });

    it('accepts the token with the same query spelled differently and another Limit', async () => {
      const first = await page({ Limit: 1, Filter: 'family_name = "Odd"', AttributesToGet: ['family_name', 'sub'] });
      assert.deepEqual(
        first.Users?.map((u) => u.Username),
        ['user-1'],
      );
      const rest = await page({
        Limit: 5,
        Filter: '  family_name="Odd" ',
        AttributesToGet: ['sub', 'family_name', 'sub'],
        PaginationToken: first.PaginationToken,
      });
      assert.deepEqual(
        rest.Users?.map((u) => u.Username),
        ['user-3', 'user-5', 'user-7'],
      );
      assert.equal(rest.PaginationToken, undefined);
    });

    it('refuses a PaginationToken issued for another pool', async () => {
      const first = await page({ Limit: 3 });
      await assert.rejects(list({ Limit: 3, PaginationToken: first.PaginationToken }), { name: 'InvalidParameterException' });
    });
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    const missing = `${c.deps.config.region}_Missing00`;
    await assert.rejects(c.admin.send(new ListUsersCommand({ UserPoolId: missing })), {
      name: 'ResourceNotFoundException',
      message: `User pool ${missing} does not exist.`,
    });
  });

  it('refuses an unsigned call with MissingAuthenticationTokenException', async () => {
    await assert.rejects(c.anon.send(new ListUsersCommand({ UserPoolId: poolId })), { name: 'MissingAuthenticationTokenException' });
  });
});
