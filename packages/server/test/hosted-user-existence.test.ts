import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, postPage } from './helpers/hosted-login.ts';
import { attrs, createClient, createConfirmedUser, createPool } from './helpers/pools.ts';
import { startCognate, type Running } from './helpers/server.ts';

// With PreventUserExistenceErrors ENABLED the managed-login pages tell an
// existing account from an unknown name no better than the API does, though
// they prove the client's secret for anyone: the passwordless button, the
// confirmation page's resend and its code answer the same for both.

const CALLBACK = 'http://localhost:3999/callback';

describe('managed-login pages do not tell which accounts exist (PreventUserExistenceErrors ENABLED)', () => {
  let c: Running;
  let authorize: Record<string, string>;

  before(async () => {
    c = await startCognate();
    const poolId = await createPool(c, {
      AutoVerifiedAttributes: ['email'],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    });
    const { clientId } = await createClient(c, poolId, {
      GenerateSecret: true,
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    });
    authorize = { response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' };
    // A confirmed account whose email is not verified: no code can be sent to it.
    await createConfirmedUser(c, poolId, 'ivy', { attributes: attrs({ email: 'ivy@example.com' }) });
  });

  after(async () => c.stop());

  /** A page's answer with what differs by design between two requests (the masked simulated address) left out. */
  const answer = async (path: string, fields: Record<string, string>) => {
    const result = await postPage(await openPage(c.url, path, authorize), path, fields);
    return { status: result.status, text: result.text.replace(/\S+@\S+/g, '<address>') };
  };

  it('answers the passwordless button alike for an account without a verified address and an unknown name', async () => {
    const known = await answer('/login', { username: 'ivy', method: 'EMAIL_OTP' });
    const unknown = await answer('/login', { username: 'nobody-here', method: 'EMAIL_OTP' });
    assert.equal(known.status, 200);
    assert.match(known.text, /Enter the code we sent you by email/);
    assert.deepEqual(known, unknown);
  });

  it("answers the confirmation page's resend and code alike for a confirmed account and an unknown name", async () => {
    const resendKnown = await answer('/confirm', { username: 'ivy', action: 'resend' });
    const resendUnknown = await answer('/confirm', { username: 'nobody-here', action: 'resend' });
    assert.equal(resendKnown.status, 200);
    assert.deepEqual(resendKnown, resendUnknown);
    const codeKnown = await answer('/confirm', { username: 'ivy', code: '123456' });
    const codeUnknown = await answer('/confirm', { username: 'nobody-here', code: '123456' });
    assert.equal(codeKnown.status, 400);
    assert.match(codeKnown.text, /code is not right/);
    assert.deepEqual(codeKnown, codeUnknown);
  });
});
