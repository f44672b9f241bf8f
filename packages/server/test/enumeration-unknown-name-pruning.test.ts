import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolClientCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { PRUNE_PER_CALL } from '../src/store/unknown-names.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { aliasPoolFixtures } from './helpers/user-fixtures.ts';

describe('unknown sign-in names: failures are pruned', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(async () => {
    await c.stop();
  });

  const { newPool } = aliasPoolFixtures(() => c);

  const countRows = async () =>
    Number(
      (
        await c.deps.store.db
          .selectFrom('unknown_name_failures')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const failUnder = async (clientId: string, name: string) =>
    assert.rejects(
      c.anon.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: name, PASSWORD: 'Wr0ng!Passw0rd' } }),
      ),
      {
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      },
    );

  it('drops names quiet for over 15 minutes (a bounded number per failure), keeps recent ones and those at the hard stop', async () => {
    const poolId = await newPool();
    const clientId = (
      await c.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          PreventUserExistenceErrors: 'ENABLED',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await c.deps.store.db.deleteFrom('unknown_name_failures').execute();
    const made = PRUNE_PER_CALL + 3;
    for (let i = 0; i < made; i++) await failUnder(clientId, `made-up-${i}`);
    // A name at the hard stop (100 consecutive failures), set directly rather than by 100 calls.
    await c.deps.store.db
      .insertInto('unknown_name_failures')
      .values({ name_key: 'at-hard-stop', failed_attempts: 100, consecutive_failures: 100, last_failed_at: clock.now() })
      .execute();
    assert.equal(await countRows(), made + 1);

    clock.advance(15 * 60_000 + 1_000);
    await failUnder(clientId, 'fresh-1');
    assert.equal(await countRows(), made + 1 - PRUNE_PER_CALL + 1, `one failure prunes at most ${PRUNE_PER_CALL} quiet names`);
    await failUnder(clientId, 'fresh-2');
    const left = await c.deps.store.db.selectFrom('unknown_name_failures').select(['name_key', 'consecutive_failures']).execute();
    assert.equal(left.length, 3, 'the two recent names and the one at the hard stop remain');
    assert.ok(
      left.some((r) => r.name_key === 'at-hard-stop'),
      'a name at the hard stop is never forgotten',
    );
  });
});
