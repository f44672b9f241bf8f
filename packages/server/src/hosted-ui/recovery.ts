import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { CognitoError } from '../errors/cognito-error.ts';
import { formOf, queryOf } from '../oauth/params.ts';
import { forgotPasswordPage, resetPasswordPage } from './account-pages.ts';
import { formRoute, pageKit, pageRoute, problemKey, secretHashFor, triggerProblem } from './common.ts';
import { passwordProblemText } from './form-fields.ts';
import { signInPage } from './pages.ts';
import type { PublicOperations } from './public-operations.ts';

// A forgotten password: /forgotPassword asks for the username and calls
// ForgotPassword; /confirmForgotPassword takes the mailed code and a new
// password to ConfirmForgotPassword, then the sign-in form with a note.
// Both also answer at the classic hosted UI's lower-case paths. Whether the
// account exists shows only as ForgotPassword shows it: with
// PreventUserExistenceErrors ENABLED an unknown name gets the same "code
// sent" page (a simulated delivery) and later the same wrong-code answer.

export function registerRecovery(app: FastifyInstance, deps: Deps, operations: PublicOperations): void {
  const kit = pageKit(deps);

  for (const path of ['/forgotPassword', '/forgotpassword']) {
    app.get(path, pageRoute('ForgotPasswordPage'), async (req, reply) => {
      const opened = await kit.open(req, reply, queryOf(req));
      if (!opened) return reply;
      return kit.send(reply, 200, forgotPasswordPage(opened.page, opened.request.pool, '', null));
    });

    app.post(path, { ...formRoute('ForgotPassword', 'UserAccountRecovery'), preHandler: app.csrfProtection }, async (req, reply) => {
      const form = formOf(req);
      const opened = await kit.open(req, reply, form);
      if (!opened) return reply;
      const { page } = opened;
      const { pool, client } = opened.request;
      const username = (form.get('username') ?? '').trim();
      if (!username) return kit.send(reply, 400, forgotPasswordPage(page, pool, '', page.t('problem.missing')));
      let destination: string | null;
      try {
        const sent = (await operations(
          'ForgotPassword',
          { ClientId: client.clientId, Username: username, SecretHash: secretHashFor(client, username) },
          kit.hostedContext(req),
        )) as {
          CodeDeliveryDetails?: { Destination?: string };
        };
        destination = sent.CodeDeliveryDetails?.Destination ?? null;
      } catch (err) {
        if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
        const key =
          err.code === 'UserNotFoundException' ? 'problem.noSuchUser' : err.code === 'InvalidParameterException' ? 'problem.cannotReset' : problemKey(err);
        return kit.send(reply, 400, forgotPasswordPage(page, pool, username, page.t(key)));
      }
      return kit.send(reply, 200, resetPasswordPage(page, pool, { username, destination, error: null }));
    });
  }

  for (const path of ['/confirmForgotPassword', '/confirmforgotpassword']) {
    app.get(path, pageRoute('ConfirmForgotPasswordPage'), async (req, reply) => {
      const params = queryOf(req);
      const opened = await kit.open(req, reply, params);
      if (!opened) return reply;
      const username = params.get('username') ?? '';
      // Without a username there is nothing to reset yet: ask for it first.
      if (!username) return kit.send(reply, 200, forgotPasswordPage(opened.page, opened.request.pool, '', null));
      return kit.send(reply, 200, resetPasswordPage(opened.page, opened.request.pool, { username, destination: null, error: null }));
    });

    app.post(path, { ...formRoute('ConfirmForgotPassword', 'UserAccountRecovery'), preHandler: app.csrfProtection }, async (req, reply) => {
      const form = formOf(req);
      const opened = await kit.open(req, reply, form);
      if (!opened) return reply;
      const { page } = opened;
      const { pool, client } = opened.request;
      const username = (form.get('username') ?? '').trim();
      const code = (form.get('code') ?? '').trim();
      const password = form.get('new_password') ?? '';
      const destination = form.get('destination') ?? null;
      const again = (error: string, keepCode = false) =>
        kit.send(reply, 400, resetPasswordPage(page, pool, { username, destination, error, ...(keepCode ? { code } : {}) }));
      if (!username) return kit.send(reply, 400, forgotPasswordPage(page, pool, '', page.t('problem.missing')));
      if (!code || !password) return again(page.t('problem.missing'));
      try {
        await operations(
          'ConfirmForgotPassword',
          { ClientId: client.clientId, Username: username, ConfirmationCode: code, Password: password, SecretHash: secretHashFor(client, username) },
          kit.hostedContext(req),
        );
      } catch (err) {
        if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
        if (err.code === 'InvalidPasswordException' || err.code === 'PasswordHistoryPolicyViolationException')
          return again(err.code === 'InvalidPasswordException' ? passwordProblemText(page.t, err.message) : page.t(problemKey(err)), true);
        // A malformed code fails the model's pattern; an unknown user (LEGACY) is a wrong code to the user too.
        if (err.code === 'InvalidParameterException' || err.code === 'UserNotFoundException') return again(page.t('problem.badCode'));
        return again(triggerProblem(err) ?? page.t(problemKey(err)));
      }
      return kit.send(reply, 200, signInPage(page, null, username, page.t('reset.done')));
    });
  }
}
