import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, MAX_POLICY_CHARS, parseGuardrail, parsePolicy, type PolicyRequest } from './iam-policy.ts';

const POOL = 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Pool00001';
const OTHER = 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Other0002';
const req = (action: string, resource = POOL, sourceIp = '127.0.0.1'): PolicyRequest => ({ action, resource, sourceIp });
const doc = (...Statement: object[]) => parsePolicy({ Version: '2012-10-17', Statement });
const allow = (extra: object = {}) => ({ Effect: 'Allow', Action: '*', Resource: '*', ...extra });

function malformed(input: unknown, message: string | RegExp) {
  assert.throws(() => parsePolicy(input as string), { name: 'MalformedPolicyDocument', message });
}

describe('IAM policy parsing', () => {
  it('accepts a string or list for Action and Resource and a single statement object, normalising to lists', () => {
    const p = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'cognito-idp:ListUsers', Resource: POOL } }));
    assert.deepEqual(p, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['cognito-idp:ListUsers'], Resource: [POOL] }] });
  });

  it('refuses text that is not JSON, and a document without statements', () => {
    malformed('{"Version": ', 'Syntax errors in policy.');
    malformed('[]', 'Syntax errors in policy.');
    malformed({ Version: '2012-10-17', Statement: [] }, 'Missing required field Statement.');
    malformed({ Version: '2012-10-17' }, 'Missing required field Statement.');
  });

  it('requires a known Version', () => {
    malformed({ Statement: [allow()] }, 'The policy must contain a valid version string: 2012-10-17.');
    malformed({ Version: '2020-01-01', Statement: [allow()] }, 'The policy must contain a valid version string: 2012-10-17.');
    assert.equal(parsePolicy({ Version: '2008-10-17', Statement: [allow()] }).Version, '2008-10-17');
  });

  it('requires Effect Allow or Deny, exactly as spelled', () => {
    malformed({ Version: '2012-10-17', Statement: [allow({ Effect: 'allow' })] }, 'Statement 1: Effect must be Allow or Deny.');
    malformed({ Version: '2012-10-17', Statement: [{ Action: '*', Resource: '*' }] }, 'Statement 1: Effect must be Allow or Deny.');
  });

  it('requires exactly one of Action/NotAction and of Resource/NotResource', () => {
    malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'Statement 1 must have exactly one of Action and NotAction.');
    malformed({ Version: '2012-10-17', Statement: [allow({ NotAction: 'cognate:*' })] }, 'Statement 1 must have exactly one of Action and NotAction.');
    malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] }, 'Statement 1 must have exactly one of Resource and NotResource.');
  });

  it('refuses a Principal (identity policies name none), unknown fields and duplicate Sids', () => {
    malformed({ Version: '2012-10-17', Statement: [allow({ Principal: '*' })] }, 'Policy document should not specify a principal.');
    malformed({ Version: '2012-10-17', Statement: [allow({ Efect: 'Allow' })] }, 'Statement 1 has an unknown field: Efect.');
    malformed({ Version: '2012-10-17', Statement: [allow({ Sid: 'A' }), allow({ Sid: 'A' })] }, 'Statement IDs (SID) in a single policy must be unique.');
    malformed({ Version: '2012-10-17', Statement: [allow({ Sid: 'not ok' })] }, 'Statement IDs (SID) must be alpha-numeric.');
  });

  it('refuses actions without a known vendor, and resources that are not ARNs', () => {
    malformed({ Version: '2012-10-17', Statement: [allow({ Action: 'ListUsers' })] }, /must be prefaced by a vendor/);
    malformed({ Version: '2012-10-17', Statement: [allow({ Action: 's3:GetObject' })] }, /Vendor s3 is not valid/);
    malformed({ Version: '2012-10-17', Statement: [allow({ Action: [] })] }, 'Action must be a string or a non-empty list of strings.');
    malformed({ Version: '2012-10-17', Statement: [allow({ Resource: 'userpool/x' })] }, 'Resource userpool/x must be in ARN format or "*".');
  });

  it('accepts IpAddress/NotIpAddress on aws:SourceIp with IPv4 and IPv6 CIDRs, and refuses what it cannot evaluate', () => {
    const p = doc(allow({ Condition: { ipaddress: { 'AWS:SourceIp': ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'] } } }));
    assert.deepEqual(p.Statement[0]!.Condition, { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'] } });
    malformed(
      { Version: '2012-10-17', Statement: [allow({ Condition: { StringEquals: { 'aws:username': 'x' } } })] },
      /Condition operator StringEquals is not supported/,
    );
    malformed(
      { Version: '2012-10-17', Statement: [allow({ Condition: { IpAddress: { 'aws:SourceVpc': 'vpc-1' } } })] },
      /Condition key aws:SourceVpc is not supported/,
    );
    malformed(
      { Version: '2012-10-17', Statement: [allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } })] },
      'Invalid IP address or CIDR block in condition: 10.0.0.0/33',
    );
    malformed(
      { Version: '2012-10-17', Statement: [allow({ Condition: { IpAddress: { 'aws:SourceIp': 'example.com' } } })] },
      'Invalid IP address or CIDR block in condition: example.com',
    );
  });

  it("refuses a document over IAM's size quota, counted without white space", () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [allow({ Sid: 'x'.repeat(MAX_POLICY_CHARS) })] });
    malformed(big, `Cannot exceed quota for PolicySize: ${MAX_POLICY_CHARS}`);
  });

  it('a guardrail takes only Deny statements', () => {
    assert.throws(() => parseGuardrail({ Version: '2012-10-17', Statement: [allow()] }), {
      name: 'MalformedPolicyDocument',
      message: /only contain Deny statements/,
    });
    assert.equal(
      parseGuardrail({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cognito-idp:DeleteUserPool', Resource: '*' }] }).Statement.length,
      1,
    );
  });
});

describe('IAM policy evaluation', () => {
  it('denies implicitly when no statement allows', () => {
    assert.equal(evaluate([], req('cognito-idp:ListUsers')), 'ImplicitDeny');
    assert.equal(evaluate([doc(allow({ Action: 'cognito-idp:ListUsers' }))], req('cognito-idp:AdminGetUser')), 'ImplicitDeny');
  });

  it('matches action wildcards * and ?, case-insensitively as IAM does', () => {
    const p = [doc(allow({ Action: ['cognito-idp:Admin*', 'COGNITO-IDP:list?sers'] }))];
    assert.equal(evaluate(p, req('cognito-idp:AdminGetUser')), 'Allow');
    assert.equal(evaluate(p, req('cognito-idp:ListUsers')), 'Allow');
    assert.equal(evaluate(p, req('cognito-idp:ListUserPools')), 'ImplicitDeny');
    assert.equal(evaluate(p, req('cognate:AdminGetUser')), 'ImplicitDeny');
    assert.equal(evaluate([doc(allow({ Action: 'cognito-idp:*' }))], req('cognate:ConfirmDeletion')), 'ImplicitDeny');
  });

  it('matches resource ARN wildcards, case-sensitively', () => {
    const p = [doc(allow({ Resource: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Pool*' }))];
    assert.equal(evaluate(p, req('cognito-idp:ListUsers', POOL)), 'Allow');
    assert.equal(evaluate(p, req('cognito-idp:ListUsers', OTHER)), 'ImplicitDeny');
    assert.equal(evaluate(p, req('cognito-idp:ListUsers', POOL.toUpperCase())), 'ImplicitDeny');
    // Calls on no particular pool (ListUserPools, CreateUserPool) have resource "*": only Resource "*" covers them.
    assert.equal(evaluate(p, req('cognito-idp:ListUserPools', '*')), 'ImplicitDeny');
    assert.equal(evaluate([doc(allow())], req('cognito-idp:ListUserPools', '*')), 'Allow');
  });

  it('an explicit Deny wins over any Allow, in the same or another policy', () => {
    const p = [doc(allow()), doc({ Effect: 'Deny', Action: 'cognito-idp:Delete*', Resource: POOL })];
    assert.equal(evaluate(p, req('cognito-idp:DeleteUserPool')), 'ExplicitDeny');
    assert.equal(evaluate(p, req('cognito-idp:DeleteUserPool', OTHER)), 'Allow');
  });

  it('NotAction and NotResource apply to everything except what they list', () => {
    const p = [doc(allow(), { Effect: 'Deny', NotAction: ['cognito-idp:List*', 'cognito-idp:Describe*'], Resource: '*' })];
    assert.equal(evaluate(p, req('cognito-idp:ListUsers')), 'Allow');
    assert.equal(evaluate(p, req('cognito-idp:AdminDeleteUser')), 'ExplicitDeny');
    const q = [doc({ Effect: 'Allow', Action: '*', NotResource: OTHER })];
    assert.equal(evaluate(q, req('cognito-idp:ListUsers', POOL)), 'Allow');
    assert.equal(evaluate(q, req('cognito-idp:ListUsers', OTHER)), 'ImplicitDeny');
  });

  it('IpAddress and NotIpAddress match IPv4, IPv6 and IPv4-mapped IPv6 source addresses', () => {
    const inside = [doc(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '2001:db8::/32'] } } }))];
    assert.equal(evaluate(inside, req('cognito-idp:ListUsers', POOL, '127.0.0.1')), 'Allow');
    assert.equal(evaluate(inside, req('cognito-idp:ListUsers', POOL, '::ffff:127.0.0.1')), 'Allow');
    assert.equal(evaluate(inside, req('cognito-idp:ListUsers', POOL, '2001:db8:1::5')), 'Allow');
    assert.equal(evaluate(inside, req('cognito-idp:ListUsers', POOL, '10.1.2.3')), 'ImplicitDeny');
    assert.equal(evaluate(inside, req('cognito-idp:ListUsers', POOL, '2001:db9::1')), 'ImplicitDeny');
    const outside = [doc(allow(), { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })];
    assert.equal(evaluate(outside, req('cognito-idp:ListUsers', POOL, '10.9.9.9')), 'Allow');
    assert.equal(evaluate(outside, req('cognito-idp:ListUsers', POOL, '127.0.0.1')), 'ExplicitDeny');
  });

  it('ANDs condition operators and ORs the values of one key', () => {
    const p = [doc(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] }, NotIpAddress: { 'aws:SourceIp': '10.6.0.0/16' } } }))];
    assert.equal(evaluate(p, req('cognito-idp:ListUsers', POOL, '192.168.1.1')), 'Allow');
    assert.equal(evaluate(p, req('cognito-idp:ListUsers', POOL, '10.1.0.1')), 'Allow');
    assert.equal(evaluate(p, req('cognito-idp:ListUsers', POOL, '10.6.0.1')), 'ImplicitDeny');
  });

  it('treats a regex metacharacter in a pattern literally', () => {
    const p = [doc(allow({ Resource: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1.Pool00001' }))];
    assert.equal(evaluate(p, req('cognito-idp:ListUsers', POOL)), 'ImplicitDeny');
  });
});
