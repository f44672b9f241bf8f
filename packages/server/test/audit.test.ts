import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { audit } from '../src/cli/audit.ts';
import { pruneAudit } from '../src/audit/retention.ts';
import { FakeClock } from '../src/services/clock.ts';
import type { AuditRecordRow } from '../src/store/tables.ts';
import { BIN } from './helpers/cli.ts';
import { cognateCall } from './helpers/cognate.ts';
import { rawCall } from './helpers/raw.ts';
import { startCognate, type Running } from './helpers/server.ts';

// The audit trail (issue 6): a record for every call, whatever kind and
// however it ended, with no secret in it; a hash chain that `cognate audit
// verify` checks, catching an edited, a deleted and a reordered record;
// retention that prunes without breaking the chain.
describe('audit trail', () => {
  const clock = new FakeClock(Date.now());
  let c: Running;
  let logs = '';
  const password = 'Audit-Pw-1234!';
  const newPassword = 'Audit-Pw-5678?';
  const tempPassword = 'Temp-Pw-9999#';
  const adminPassword = 'Admin-Set-Pw-42$';
  const secrets: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let poolId = '';
  let clientId = '';

  // Records are group-committed a few ms after the answer (audit/queue.ts): every read of the trail flushes first.
  const rows = async (): Promise<AuditRecordRow[]> => {
    await c.flushAudit();
    return c.deps.store.db.selectFrom('audit_records').selectAll().orderBy('seq').execute();
  };
  const byRequest = async (requestId: string | undefined): Promise<AuditRecordRow> => {
    assert.ok(requestId, 'the call has a request id');
    await c.flushAudit();
    const row = await c.deps.store.db.selectFrom('audit_records').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    assert.ok(row, `an audit record for request ${requestId}`);
    return row;
  };
  /** The request id of a call that must succeed (`ok`) or fail (`fail`). */
  const requestIdOf = async (p: Promise<unknown>, expect: 'ok' | 'fail' = 'ok'): Promise<string> => {
    let outcome: 'ok' | 'fail';
    let id: string | undefined;
    try {
      id = ((await p) as { $metadata: { requestId?: string } }).$metadata.requestId;
      outcome = 'ok';
    } catch (err) {
      if (expect === 'ok') throw err;
      id = (err as { $metadata: { requestId?: string } }).$metadata.requestId;
      outcome = 'fail';
    }
    assert.equal(outcome, expect);
    assert.ok(id);
    return id;
  };
  const cliFlags = (): Record<string, string> => ({
    'data-dir': c.dataDir,
    ...(c.deps.config.databaseUrl ? { 'database-url': c.deps.config.databaseUrl } : {}),
  });
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    await c.flushAudit();
    let out = '';
    const code = await audit(args, cliFlags(), { out: (t) => (out += t), err: (t) => (out += t) });
    return { code, out };
  };

  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    c = await startCognate({ clock, logStream: stream, config: { logLevel: 'info' } });

    // Operator calls.
    const created = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'trail', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
    poolId = created.UserPool!.Id!;
    ids['createPool'] = created.$metadata.requestId!;
    const client = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient!.ClientId!;
    secrets['clientSecret'] = client.UserPoolClient!.ClientSecret!;
    const hash = (u: string) =>
      createHmac('sha256', secrets['clientSecret']!)
        .update(u + clientId)
        .digest('base64');
    secrets['secretHash'] = hash('a@example.com');
    ids['adminCreate'] = await requestIdOf(
      c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'b@example.com', TemporaryPassword: tempPassword, MessageAction: 'SUPPRESS' })),
    );
    ids['adminSetPassword'] = await requestIdOf(
      c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'b@example.com', Password: adminPassword, Permanent: true })),
    );

    // Public calls: sign-up, confirmation, sign-in (right and wrong password), refresh.
    ids['signUp'] = await requestIdOf(
      c.anon.send(new SignUpCommand({ ClientId: clientId, Username: 'a@example.com', Password: password, SecretHash: secrets['secretHash'] })),
    );
    secrets['code'] = await c.inbox.nextCode('a@example.com');
    ids['confirm'] = await requestIdOf(
      c.anon.send(
        new ConfirmSignUpCommand({ ClientId: clientId, Username: 'a@example.com', ConfirmationCode: secrets['code'], SecretHash: secrets['secretHash'] }),
      ),
    );
    const signIn = await c.anon.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'a@example.com', PASSWORD: password, SECRET_HASH: secrets['secretHash'] },
      }),
    );
    ids['signIn'] = signIn.$metadata.requestId!;
    secrets['accessToken'] = signIn.AuthenticationResult!.AccessToken!;
    secrets['idToken'] = signIn.AuthenticationResult!.IdToken!;
    secrets['refreshToken'] = signIn.AuthenticationResult!.RefreshToken!;
    // A refresh's SECRET_HASH is over the username the tokens carry (the sub in an email-as-username pool).
    const tokenUsername = (JSON.parse(Buffer.from(secrets['accessToken'].split('.')[1]!, 'base64url').toString()) as { username: string }).username;
    ids['badSignIn'] = await requestIdOf(
      c.anon.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'a@example.com', PASSWORD: `${password}x`, SECRET_HASH: secrets['secretHash'] },
        }),
      ),
      'fail',
    );
    ids['refresh'] = await requestIdOf(
      c.anon.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: secrets['refreshToken'], SECRET_HASH: hash(tokenUsername) },
        }),
      ),
    );

    // Access-token calls.
    ids['getUser'] = await requestIdOf(c.anon.send(new GetUserCommand({ AccessToken: secrets['accessToken'] })));
    ids['changePassword'] = await requestIdOf(
      c.anon.send(new ChangePasswordCommand({ AccessToken: secrets['accessToken'], PreviousPassword: password, ProposedPassword: newPassword })),
    );
    ids['badToken'] = await requestIdOf(c.anon.send(new GetUserCommand({ AccessToken: `${secrets['accessToken']!.slice(0, -4)}AAAA` })), 'fail');

    // CognateService, signed with the operator key.
    const lifecycle = await cognateCall(c.url, 'GetUserPoolLifecycleConfiguration', { UserPoolId: poolId }, c.credentials, { date: new Date(clock.now()) });
    assert.equal(lifecycle.status, 200, JSON.stringify(lifecycle.body));
    ids['cognate'] = lifecycle.headers.get('x-amzn-requestid')!;

    // Refused before any handler ran.
    const unknown = await rawCall(c.url, 'NoSuchOperation', '{}');
    ids['unknown'] = unknown.headers.get('x-amzn-requestid')!;
    const garbled = await rawCall(c.url, 'InitiateAuth', `{"ClientId": "${clientId}", "AuthParameters": {"PASSWORD": "${password}"`);
    ids['garbled'] = garbled.headers.get('x-amzn-requestid')!;
    const forger = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: c.url,
      maxAttempts: 1,
      credentials: { accessKeyId: c.credentials.accessKeyId, secretAccessKey: 'not-the-secret-key-at-all-000000000000' },
      systemClockOffset: clock.now() - Date.now(),
    });
    ids['badSignature'] = await requestIdOf(forger.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'a@example.com' })), 'fail');
    forger.destroy();
    ids['invalid'] = await requestIdOf(c.admin.send(new AdminGetUserCommand({ UserPoolId: 'not a pool id!', Username: 'a@example.com' })), 'fail');
  });
  after(() => c.stop());

  it('records operator calls with the access key, the pool ARN and redacted passwords', async () => {
    const arn = `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`;
    const createPool = await byRequest(ids['createPool']);
    assert.deepEqual(
      {
        service: createPool.service,
        operation: createPool.operation,
        caller_kind: createPool.caller_kind,
        caller: createPool.caller,
        outcome: createPool.outcome,
        error_code: createPool.error_code,
      },
      { service: 'cognito-idp', operation: 'CreateUserPool', caller_kind: 'operator', caller: c.credentials.accessKeyId, outcome: 'success', error_code: null },
    );
    assert.equal(createPool.source_ip, '127.0.0.1');
    assert.match(createPool.user_agent, /aws-sdk-js/);
    assert.equal(JSON.parse(createPool.params!).PoolName, 'trail');

    const adminCreate = await byRequest(ids['adminCreate']);
    assert.equal(adminCreate.resource, arn);
    assert.deepEqual(JSON.parse(adminCreate.params!), { MessageAction: 'SUPPRESS', TemporaryPassword: '***', UserPoolId: poolId, Username: 'b@example.com' });
    const setPassword = await byRequest(ids['adminSetPassword']);
    assert.equal(JSON.parse(setPassword.params!).Password, '***');
  });

  it('records public calls with the client id as caller, AuthParameters redacted but USERNAME', async () => {
    const signUp = await byRequest(ids['signUp']);
    assert.deepEqual(
      {
        operation: signUp.operation,
        caller_kind: signUp.caller_kind,
        caller: signUp.caller,
        client_id: signUp.client_id,
        resource: signUp.resource,
        outcome: signUp.outcome,
      },
      { operation: 'SignUp', caller_kind: 'client', caller: clientId, client_id: clientId, resource: clientId, outcome: 'success' },
    );
    assert.deepEqual(JSON.parse(signUp.params!), { ClientId: clientId, Password: '***', SecretHash: '***', Username: 'a@example.com' });
    assert.equal(JSON.parse((await byRequest(ids['confirm'])).params!).ConfirmationCode, '***');

    const signIn = await byRequest(ids['signIn']);
    assert.deepEqual(JSON.parse(signIn.params!).AuthParameters, { PASSWORD: '***', SECRET_HASH: '***', USERNAME: 'a@example.com' });
    const bad = await byRequest(ids['badSignIn']);
    assert.deepEqual(
      { outcome: bad.outcome, error_code: bad.error_code, status: bad.status },
      { outcome: 'failure', error_code: 'NotAuthorizedException', status: 400 },
    );
    assert.deepEqual(JSON.parse((await byRequest(ids['refresh'])).params!).AuthParameters, { REFRESH_TOKEN: '***', SECRET_HASH: '***' });
  });

  it('records access-token calls with the user sub and client id, and a bad token as a failed user call', async () => {
    const sub = (await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'a@example.com' }))).UserAttributes!.find((a) => a.Name === 'sub')!
      .Value!;
    const getUser = await byRequest(ids['getUser']);
    assert.deepEqual(
      {
        operation: getUser.operation,
        caller_kind: getUser.caller_kind,
        caller: getUser.caller,
        client_id: getUser.client_id,
        resource: getUser.resource,
        params: getUser.params,
      },
      {
        operation: 'GetUser',
        caller_kind: 'user',
        caller: sub,
        client_id: clientId,
        resource: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`,
        params: '{"AccessToken":"***"}',
      },
    );
    assert.deepEqual(JSON.parse((await byRequest(ids['changePassword'])).params!), { AccessToken: '***', PreviousPassword: '***', ProposedPassword: '***' });
    const badToken = await byRequest(ids['badToken']);
    assert.deepEqual(
      { caller_kind: badToken.caller_kind, caller: badToken.caller, outcome: badToken.outcome, error_code: badToken.error_code },
      { caller_kind: 'user', caller: null, outcome: 'failure', error_code: 'NotAuthorizedException' },
    );
  });

  it('records CognateService calls in their own namespace', async () => {
    const row = await byRequest(ids['cognate']);
    assert.deepEqual(
      { service: row.service, operation: row.operation, caller_kind: row.caller_kind, caller: row.caller, outcome: row.outcome, params: row.params },
      {
        service: 'cognate',
        operation: 'GetUserPoolLifecycleConfiguration',
        caller_kind: 'operator',
        caller: c.credentials.accessKeyId,
        outcome: 'success',
        params: JSON.stringify({ UserPoolId: poolId }),
      },
    );
  });

  it('records calls refused before the handler: unknown operation, malformed body, bad signature, failed validation', async () => {
    const unknown = await byRequest(ids['unknown']);
    assert.deepEqual(
      { service: unknown.service, operation: unknown.operation, outcome: unknown.outcome, error_code: unknown.error_code, params: unknown.params },
      {
        service: 'unknown',
        operation: 'AWSCognitoIdentityProviderService.NoSuchOperation',
        outcome: 'failure',
        error_code: 'UnknownOperationException',
        params: null,
      },
    );
    const garbled = await byRequest(ids['garbled']);
    assert.deepEqual(
      { operation: garbled.operation, error_code: garbled.error_code, params: garbled.params },
      { operation: 'InitiateAuth', error_code: 'SerializationException', params: null },
    );
    const forged = await byRequest(ids['badSignature']);
    assert.deepEqual(
      { operation: forged.operation, caller_kind: forged.caller_kind, caller: forged.caller, error_code: forged.error_code },
      { operation: 'AdminGetUser', caller_kind: 'operator', caller: c.credentials.accessKeyId, error_code: 'InvalidSignatureException' },
    );
    const invalid = await byRequest(ids['invalid']);
    assert.deepEqual({ outcome: invalid.outcome, error_code: invalid.error_code }, { outcome: 'failure', error_code: 'InvalidParameterException' });
  });

  it('holds no password, code, token, secret hash or client secret anywhere in the table, and neither does the access log', async () => {
    const table = JSON.stringify(await rows());
    const logLines = logs.split('\n').filter(Boolean);
    const wanted = [password, newPassword, tempPassword, adminPassword, c.credentials.secretAccessKey, ...Object.values(secrets)];
    for (const secret of wanted) {
      assert.ok(!table.includes(secret), `audit table must not contain ${secret.slice(0, 4)}…`);
      assert.ok(!logs.includes(secret), `log must not contain ${secret.slice(0, 4)}…`);
    }
    assert.ok(!table.includes('eyJ') && !logs.includes('eyJ'), 'no JWT anywhere');

    // One access-log line per request, with what the issue asks for.
    const entries = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e['msg'] === 'request');
    const bad = entries.find((e) => e['reqId'] === ids['badSignIn']);
    assert.ok(bad, 'an access-log line for the failed sign-in');
    assert.deepEqual(
      { operation: bad['operation'], outcome: bad['outcome'], errorCode: bad['errorCode'], statusCode: bad['statusCode'] },
      { operation: 'InitiateAuth', outcome: 'failure', errorCode: 'NotAuthorizedException', statusCode: 400 },
    );
    assert.equal(typeof bad['durationMs'], 'number');
    assert.equal(entries.filter((e) => e['reqId'] === ids['signIn']).length, 1, 'exactly one line per request');
  });

  it('search and tail filter by operation, caller, outcome and time', async () => {
    const found = async (flags: Record<string, string>) => {
      await c.flushAudit();
      let out = '';
      const code = await audit(['search'], { ...cliFlags(), ...flags, json: 'true' }, { out: (t) => (out += t), err: (t) => (out += t) });
      assert.equal(code, 0, out);
      return out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecordRow);
    };
    const failures = await found({ outcome: 'failure' });
    assert.ok(failures.length >= 6 && failures.every((r) => r.outcome === 'failure'));
    const signIns = await found({ operation: 'InitiateAuth', caller: clientId });
    assert.deepEqual(signIns.map((r) => r.request_id).sort(), [ids['signIn'], ids['badSignIn'], ids['refresh']].sort());
    const byKey = await found({ caller: c.credentials.accessKeyId, outcome: 'success' });
    assert.ok(byKey.some((r) => r.request_id === ids['createPool']) && byKey.every((r) => r.caller === c.credentials.accessKeyId));
    const all = await rows();
    const middle = all[Math.floor(all.length / 2)]!;
    const later = await found({ from: new Date(middle.time + 1).toISOString() });
    assert.ok(later.every((r) => r.time > middle.time));
    const none = await found({ to: String(all[0]!.time) });
    assert.deepEqual(none, []);

    // Through the real binary: `cognate audit tail` prints the newest records, human-readable.
    const dbFlags = Object.entries(cliFlags()).flatMap(([k, v]) => [`--${k}`, v]);
    const tail = spawnSync(process.execPath, [BIN, 'audit', 'tail', '--limit', '2', ...dbFlags], { encoding: 'utf8' });
    assert.equal(tail.status, 0, tail.stderr);
    const last = all[all.length - 1]!;
    assert.match(
      tail.stdout,
      new RegExp(`^#${last.seq - 1} .*\n  params .*\n#${last.seq} ${new Date(last.time).toISOString()} ${last.service}:${last.operation} `),
    );
  });

  it('keeps the chain linear under concurrent calls', async () => {
    await Promise.all(Array.from({ length: 16 }, () => c.admin.send(new ListUserPoolsCommand({ MaxResults: 5 }))));
    const all = await rows();
    all.forEach((r, i) => {
      assert.equal(r.seq, all[0]!.seq + i, 'no gap, no duplicate');
      if (i > 0) assert.equal(r.prev_hash, all[i - 1]!.hash);
    });
    const verified = await cli('verify');
    assert.equal(verified.code, 0, verified.out);
    assert.match(verified.out, new RegExp(`^Audit chain intact: ${all.length} records \\(1\\.\\.${all.length}\\), head ${all[all.length - 1]!.hash}`));
  });

  describe('verify', () => {
    const db = () => c.deps.store.db;

    it('catches an edited record and names it', async () => {
      const target = (await rows())[3]!;
      await db()
        .updateTable('audit_records')
        .set({ outcome: target.outcome === 'success' ? 'failure' : 'success' })
        .where('seq', '=', target.seq)
        .execute();
      const broken = await cli('verify');
      assert.equal(broken.code, 1);
      assert.match(broken.out, new RegExp(`record ${target.seq}: record ${target.seq} does not match its hash \\(edited or moved\\)`));
      await db().updateTable('audit_records').set({ outcome: target.outcome }).where('seq', '=', target.seq).execute();
      assert.equal((await cli('verify')).code, 0);
    });

    it('catches a deleted record, in the middle and at the end', async () => {
      const all = await rows();
      const victim = all[5]!;
      await db().deleteFrom('audit_records').where('seq', '=', victim.seq).execute();
      const broken = await cli('verify');
      assert.equal(broken.code, 1);
      assert.match(broken.out, new RegExp(`records ${victim.seq}\\.\\.${victim.seq} are missing \\(deleted\\)`));
      await db().insertInto('audit_records').values(victim).execute();
      assert.equal((await cli('verify')).code, 0);

      const last = all[all.length - 1]!;
      await db().deleteFrom('audit_records').where('seq', '=', last.seq).execute();
      const cut = await cli('verify');
      assert.equal(cut.code, 1);
      assert.match(cut.out, new RegExp(`the chain ends at record ${last.seq - 1} but the head is record ${last.seq}`));
      await db().insertInto('audit_records').values(last).execute();
      assert.equal((await cli('verify')).code, 0);
    });

    it('catches two records swapped in order', async () => {
      const all = await rows();
      const [a, b] = [all[7]!, all[8]!];
      await db().updateTable('audit_records').set({ seq: -1 }).where('seq', '=', a.seq).execute();
      await db().updateTable('audit_records').set({ seq: a.seq }).where('seq', '=', b.seq).execute();
      await db().updateTable('audit_records').set({ seq: b.seq }).where('seq', '=', -1).execute();
      const broken = await cli('verify');
      assert.equal(broken.code, 1);
      assert.match(broken.out, new RegExp(`record ${a.seq}: record ${a.seq} does not carry the hash of the record before it`));
      assert.match(broken.out, new RegExp(`record ${b.seq}: record ${b.seq} does not match its hash`));
      await db().updateTable('audit_records').set({ seq: -1 }).where('seq', '=', a.seq).execute();
      await db().updateTable('audit_records').set({ seq: a.seq }).where('seq', '=', b.seq).execute();
      await db().updateTable('audit_records').set({ seq: b.seq }).where('seq', '=', -1).execute();
      assert.equal((await cli('verify')).code, 0);
    });
  });

  it('prunes records past retention and still verifies, from the anchor on', async () => {
    const before = await rows();
    clock.advance(3 * 86_400_000);
    const fresh = await c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    await c.flushAudit();
    const pruned = await pruneAudit(c.deps.store.db, c.deps.master, clock.now(), 2);
    assert.equal(pruned, before.length);
    const left = await rows();
    assert.equal(left.length, 1);
    assert.equal(left[0]!.request_id, fresh.$metadata.requestId);
    assert.equal(left[0]!.prev_hash, before[before.length - 1]!.hash, 'the survivor still carries the hash of the last pruned record');
    const state = await c.deps.store.db.selectFrom('audit_state').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(
      { anchor_seq: state.anchor_seq, anchor_hash: state.anchor_hash },
      { anchor_seq: before[before.length - 1]!.seq, anchor_hash: before[before.length - 1]!.hash },
    );

    await c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    const verified = await cli('verify');
    assert.equal(verified.code, 0, verified.out);
    assert.match(verified.out, new RegExp(`Audit chain intact: 2 records \\(${state.anchor_seq + 1}\\.\\.${state.anchor_seq + 2}\\)`));

    // Deleting the first record after the anchor is still caught.
    await c.deps.store.db
      .deleteFrom('audit_records')
      .where('seq', '=', state.anchor_seq + 1)
      .execute();
    const broken = await cli('verify');
    assert.equal(broken.code, 1);
    assert.match(broken.out, new RegExp(`records ${state.anchor_seq + 1}\\.\\.${state.anchor_seq + 1} are missing`));
  });
});
