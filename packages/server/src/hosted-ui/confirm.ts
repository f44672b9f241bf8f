import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { CognitoError } from '../errors/cognito-error.ts';
import { formOf, queryOf } from '../oauth/params.ts';
import { confirmSignUpPage } from './account-pages.ts';
import { formRoute, pageKit, pageRoute, problemKey, secretHashFor } from './common.ts';
import { signInPage } from './pages.ts';
import type { PublicOperations } from './public-operations.ts';

// GET/POST /confirm (and /confirmuser, the classic hosted UI's path): the
// code sent at sign-up → ConfirmSignUp; "send a new code" →
// ResendConfirmationCode. A confirmed user lands on the sign-in form with a
// note and their name filled in. Cognito's managed login signs the user in
// at once; the pages here would need the password from the sign-up form for
// that, and it is never carried in a page, so the user types it once more.

export function registerConfirm(app: FastifyInstance, deps: Deps, operations: PublicOperations): void {
  const kit = pageKit(deps);

  for (const path of ['/confirm', '/confirmuser']) {
    app.get(path, pageRoute('ConfirmPage'), async (req, reply) => {
      const params = queryOf(req);
      const opened = await kit.open(req, reply, params);
      if (!opened) return reply;
      return kit.send(reply, 200, confirmSignUpPage(opened.page, { username: params.get('username') ?? '', destination: null, error: null, note: null }));
    });

    app.post(path, { ...formRoute('Confirm', 'UserCreation'), preHandler: app.csrfProtection }, async (req, reply) => {
      const form = formOf(req);
      const opened = await kit.open(req, reply, form);
      if (!opened) return reply;
      const { page } = opened;
      const { client } = opened.request;
      const username = (form.get('username') ?? '').trim();
      const again = (error: string | null, note: string | null = null, destination: string | null = form.get('destination') ?? null) =>
        kit.send(reply, error ? 400 : 200, confirmSignUpPage(page, { username, destination, error, note }));
      if (!username) return again(page.t('problem.missing'));
      const base = { ClientId: client.clientId, Username: username, SecretHash: secretHashFor(client, username) };
      try {
        if (form.get('action') === 'resend') {
          const sent = (await operations('ResendConfirmationCode', base, kit.hostedContext(req))) as { CodeDeliveryDetails?: { Destination?: string } };
          return again(null, page.t('confirm.resent'), sent.CodeDeliveryDetails?.Destination ?? null);
        }
        const code = (form.get('code') ?? '').trim();
        if (!code) return again(page.t('problem.missing'));
        await operations('ConfirmSignUp', { ...base, ConfirmationCode: code }, kit.hostedContext(req));
      } catch (err) {
        if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
        // A malformed code fails the model's pattern: to the user it is a wrong code.
        return again(page.t(err.code === 'InvalidParameterException' ? 'problem.badCode' : problemKey(err)));
      }
      return kit.send(reply, 200, signInPage(page, null, username, page.t('confirm.done')));
    });
  }
}
