import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { CognitoError } from '../errors/cognito-error.ts';
import { formOf, queryOf } from '../oauth/params.ts';
import { confirmSignUpPage, signUpPage } from './account-pages.ts';
import { formRoute, pageKit, pageRoute, problemKey, secretHashFor, triggerProblem } from './common.ts';
import { ATTRIBUTE_PREFIX, passwordProblemText, requiredAttributeFields } from './form-fields.ts';
import { signInPage } from './pages.ts';
import type { PublicOperations } from './public-operations.ts';

// GET/POST /signup: a form built from the pool's schema and password policy;
// its answer goes through SignUp exactly as the API's would, and the user
// moves on to the confirmation code. A pool that lets only administrators
// create users (AdminCreateUserConfig.AllowAdminCreateUserOnly) offers no
// sign-up: no link to it, and an error page here.

export function registerSignUp(app: FastifyInstance, deps: Deps, operations: PublicOperations): void {
  const kit = pageKit(deps);

  app.get('/signup', pageRoute('SignUpPage'), async (req, reply) => {
    const opened = await kit.open(req, reply, queryOf(req));
    if (!opened) return reply;
    if (!opened.page.signUpAllowed) return kit.sendError(reply, 403, opened.page.lang, 'signUpClosed');
    return kit.send(reply, 200, signUpPage(opened.page, opened.request.pool, { values: new Map(), error: null }));
  });

  app.post('/signup', { ...formRoute('SignUp', 'UserCreation'), preHandler: app.csrfProtection }, async (req, reply) => {
    const form = formOf(req);
    const opened = await kit.open(req, reply, form);
    if (!opened) return reply;
    const { request, page } = opened;
    const { pool, client } = request;
    if (!page.signUpAllowed) return kit.sendError(reply, 403, page.lang, 'signUpClosed');
    const attributeFields = requiredAttributeFields(pool, page.t);
    // Only what the form asked for is kept: other fields a crafted request adds are ignored.
    const values = new Map(['username', ...attributeFields.map((f) => f.name)].map((name) => [name, (form.get(name) ?? '').trim()]));
    const again = (status: number, error: string) => kit.send(reply, status, signUpPage(page, pool, { values, error }));
    const username = values.get('username') ?? '';
    const password = form.get('password') ?? '';
    if ([...values.values()].some((v) => v === '') || password === '') return again(400, page.t('problem.missing'));

    let answer: { UserConfirmed?: boolean; CodeDeliveryDetails?: { Destination?: string } };
    try {
      answer = await operations(
        'SignUp',
        {
          ClientId: client.clientId,
          Username: username,
          Password: password,
          UserAttributes: attributeFields.map((f) => ({ Name: f.name.slice(ATTRIBUTE_PREFIX.length), Value: values.get(f.name) ?? '' })),
          SecretHash: secretHashFor(client, username),
        },
        kit.hostedContext(req),
      );
    } catch (err) {
      if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
      if (err.code === 'InvalidPasswordException') return again(400, passwordProblemText(page.t, err.message));
      // Cognito's own wording says which value it refused (e.g. "Invalid email address format."); it is shown escaped.
      if (err.code === 'InvalidParameterException') return again(400, `${page.t('problem.invalidInput')} ${err.message}`);
      return again(400, triggerProblem(err) ?? page.t(problemKey(err)));
    }
    // A pre sign-up trigger may confirm the user at once (autoConfirmUser): straight to signing in.
    if (answer.UserConfirmed) return kit.send(reply, 200, signInPage(page, null, username, page.t('confirm.done')));
    return kit.send(reply, 200, confirmSignUpPage(page, { username, destination: answer.CodeDeliveryDetails?.Destination ?? null, error: null, note: null }));
  });
}
