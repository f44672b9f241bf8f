import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FakeClock } from '../src/services/clock.ts';
import { parseRateLimits } from '../src/services/quota-categories.ts';
import { cognateCall } from './helpers/cognate.ts';
import { rawCall } from './helpers/raw.ts';
import { startCognate } from './helpers/server.ts';

const PASSWORD = 'Passw0rd!';
describe('pool IP rules and rate limits name the pool the call acts on', () => {
  // Fixed in http/protection.ts: the preHandler took the pool from any
  // UserPoolId (or ResourceArn, AccessToken, ClientId) in the body, while the
  // protocol layer ignores members the operation does not have. A public call
  // with an added UserPoolId naming another pool skipped its own pool's
  // SetIpRules deny list, and a fresh made-up UserPoolId on every call got a
  // fresh per-pool rate-limit counter each time.
  it("an added UserPoolId does not dodge the deny list of the client's pool", async () => {
    const s = await startCognate({ config: { trustedProxies: ['127.0.0.1/32', '::1/128'] } });
    try {
      const pool = await s.admin.send(new CreateUserPoolCommand({ PoolName: 'ip-rules' }));
      const poolId = pool.UserPool!.Id!;
      const client = await s.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
      const clientId = client.UserPoolClient!.ClientId!;
      const set = await cognateCall(s.url, 'SetIpRules', { UserPoolId: poolId, DenyCidrs: ['198.51.100.0/24'] }, s.credentials);
      assert.equal(set.status, 200);
      const signUp = (extra: object, username: string) =>
        rawCall(s.url, 'SignUp', JSON.stringify({ ClientId: clientId, Username: username, Password: PASSWORD, ...extra }), {
          'x-forwarded-for': '198.51.100.20',
        });
      const plain = await signUp({}, 'plain');
      assert.deepEqual([plain.status, plain.body], [403, { __type: 'ForbiddenException', message: 'Request not allowed due to WAF block.' }]);
      for (const extra of [
        { UserPoolId: 'us-east-1_Elsewhere1' },
        { ResourceArn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Elsewhere1' },
      ]) {
        const dodged = await signUp(extra, 'dodger');
        assert.deepEqual(
          [dodged.status, dodged.body],
          [403, { __type: 'ForbiddenException', message: 'Request not allowed due to WAF block.' }],
          JSON.stringify(extra),
        );
      }
    } finally {
      await s.stop();
    }
  });

  it('a made-up UserPoolId on each call does not get a fresh sign-in budget', async () => {
    const s = await startCognate({ clock: new FakeClock(Date.now()), config: { rateLimits: parseRateLimits('UserAuthentication=1') } });
    try {
      const pool = await s.admin.send(new CreateUserPoolCommand({ PoolName: 'limits' }));
      const client = await s.admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool!.Id!, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
      );
      const init = (n: number) =>
        rawCall(
          s.url,
          'InitiateAuth',
          JSON.stringify({
            ClientId: client.UserPoolClient!.ClientId!,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'nobody', PASSWORD },
            UserPoolId: `us-east-1_Fake${n}`,
          }),
        );
      assert.notEqual((await init(1)).body['__type'], 'TooManyRequestsException');
      const second = await init(2);
      assert.deepEqual(second.body, { __type: 'TooManyRequestsException', message: 'Rate exceeded' });
    } finally {
      await s.stop();
    }
  });
});
