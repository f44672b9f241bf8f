import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { preventsUserExistenceErrors } from '../domain/client-settings.ts';
import { signUpCodeTarget } from '../domain/pool-settings.ts';
import { CognitoError } from '../errors/cognito-error.ts';
import { formOf, queryOf } from '../oauth/params.ts';
import { simulatedCodeDelivery } from '../services/messages.ts';
import { confirmSignUpPage } from './account-pages.ts';
import { formRoute, pageKit, pageRoute, problemKey, secretHashFor, triggerProblem } from './common.ts';
import { signInPage } from './pages.ts';
import type { PublicOperations } from './public-operations.ts';

// GET/POST /confirm (and /confirmuser, the classic hosted UI's path): the
// code sent at sign-up → ConfirmSignUp; "send a new code" →
// ResendConfirmationCode. A confirmed user lands on the sign-in form with a
// note and their name filled in. Cognito's managed login signs the user in
// at once; the pages here would need the password from the sign-up form for
// that, and it is never carried in a page, so the user types it once more.

/** Limits an unknown name meets too: they may show as they are. */
const RATE_ERRORS = ['LimitExceededException', 'TooManyRequestsException'];

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
        // The post confirmation trigger failed (the user is confirmed): its words, as Cognito's page shows them.
        const triggered = triggerProblem(err);
        if (triggered) return again(triggered);
        // PreventUserExistenceErrors ENABLED: a confirmed, disabled or otherwise unconfirmable account answers as an
        // unknown name does (a simulated delivery, a wrong code). The pages prove the client's secret for anyone, so
        // without this they would tell which accounts exist even where the API (needing the secret hash) does not.
        if (preventsUserExistenceErrors(client) && !RATE_ERRORS.includes(err.code)) {
          if (form.get('action') !== 'resend') return again(page.t('problem.badCode'));
          const medium = signUpCodeTarget(opened.request.pool, { email: username, phone_number: username }) === 'phone_number' ? 'SMS' : 'EMAIL';
          const simulated = simulatedCodeDelivery(kit.hostedContext(req), opened.request.pool, username, medium);
          return again(null, page.t('confirm.resent'), simulated.CodeDeliveryDetails.Destination ?? null);
        }
        // A malformed code fails the model's pattern: to the user it is a wrong code.
        return again(page.t(err.code === 'InvalidParameterException' ? 'problem.badCode' : problemKey(err)));
      }
      return kit.send(reply, 200, signInPage(page, null, username, page.t('confirm.done')));
    });
  }
}
