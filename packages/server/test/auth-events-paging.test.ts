import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminListUserAuthEventsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { startCognate, type Running } from './helpers/server.ts';
import { aliasPoolFixtures } from './helpers/user-fixtures.ts';

describe('AdminListUserAuthEvents paging', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  before(async () => {
    c = await startCognate({ clock });
  });
  after(async () => {
    await c.stop();
  });

  const { newPool, newUser } = aliasPoolFixtures(() => c);

  it('AdminListUserAuthEvents pages through events that share a sequence number (concurrent appends on PostgreSQL) without skipping any', async () => {
    const poolId = await newPool({ threatProtection: true });
    const sub = await newUser(poolId, 'cat');
    // What two racing appends leave behind: max+1 read by both, so one seq twice.
    for (const id of ['ev-a', 'ev-b', 'ev-c']) {
      await c.deps.store.db
        .insertInto('auth_events')
        .values({
          event_id: id,
          pool_id: poolId,
          sub,
          seq: id === 'ev-c' ? 8 : 7,
          event_type: 'SignIn',
          event_response: 'Fail',
          challenge_responses: '[]',
          ip_address: '10.0.0.1',
          device_name: 'Other, Other',
          created_at: clock.now(),
        })
        .execute();
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.admin.send(
        new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'cat', MaxResults: 1, ...(token ? { NextToken: token } : {}) }),
      );
      seen.push(...page.AuthEvents!.map((e) => e.EventId!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, ['ev-c', 'ev-b', 'ev-a'], 'newest first, ties broken by event id, each once');
  });
});
