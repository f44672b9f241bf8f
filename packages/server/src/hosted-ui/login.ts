import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { runAfterSuccess } from '../http/request-context.ts';
import type { Deps } from '../context.ts';
import { preventsUserExistenceErrors } from '../domain/client-settings.ts';
import { authFlows, challengeHandlers, type FlowEnv } from '../auth-flows/flow.ts';
import { CognitoError } from '../errors/cognito-error.ts';
import { describedRoute } from '../http/routes.ts';
import { authorizationAnswer, implicitTokens } from '../oauth/answer.ts';
import type { AuthorizeRequest } from '../oauth/authorize-request.ts';
import { startHostedSession } from '../oauth/hosted-session.ts';
import { formOf, formOrEmpty, queryOf, queryOrEmpty, type Params } from '../oauth/params.ts';
import { recordAuthEvent } from '../services/auth-events.ts';
import { auditContextOf } from '../audit/note.ts';
import { preTokenGeneration } from '../triggers/pre-token-generation.ts';
import { migrateAtSignIn } from '../triggers/user-migration.ts';
import type { AuthStep } from '../services/auth-step.ts';
import { startPasswordlessCode } from '../services/passwordless.ts';
import { afterFirstFactor, checkPasswordSignIn } from '../services/sign-in.ts';
import { preAuthentication } from '../triggers/authentication.ts';
import { confirmSignUpPage } from './account-pages.ts';
import { type Language, textFor } from './i18n.ts';
import { languageFor, type PageKit, pageKit, problemKey, rememberLanguage, secretHashFor, triggerProblem } from './common.ts';
import type { PageContext } from './page-context.ts';
import { passwordPolicyOf, type PasswordPolicy } from '../domain/pool-settings.ts';
import { ATTRIBUTE_PREFIX, type Field, passwordProblemText, requiredAttributeFields } from './form-fields.ts';
import { codePage, newPasswordPage, selectMfaPage, signInPage } from './pages.ts';
import type { PublicOperations } from './public-operations.ts';
import { associateTotp, pendingTotpSecret, totpSetupPage, verifyTotp } from './totp-setup.ts';

// GET /login shows the sign-in form for an authorization request; POST
// /login takes each step of the sign-in (password, then any challenge:
// a new password, an MFA code, a choice of MFA, setting up an authenticator
// app) through the same sign-in services as InitiateAuth and
// RespondToAuthChallenge, with Context.hostedSignIn set so that success ends
// in a managed-login session and the authorization answer rather than API
// tokens.

/** The challenges the pages answer. Custom-auth challenges are not among them: managed login does not run them (developer guide, "Managed login"). */
const PAGE_CHALLENGES = ['NEW_PASSWORD_REQUIRED', 'SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SMS_OTP', 'SELECT_MFA_TYPE', 'MFA_SETUP'];
const CODE_KEYS: Record<string, string> = {
  SMS_MFA: 'SMS_MFA_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SMS_OTP: 'SMS_OTP_CODE',
};

interface Step {
  req: FastifyRequest;
  reply: FastifyReply;
  form: Params;
  request: AuthorizeRequest;
  /** The page's context, built on first use: a password that signs straight in shows no page, so it skips the branding reads and the CSRF token. */
  page: () => Promise<PageContext>;
  username: string;
  lang: Language;
  t: TFunction;
}

export function registerLogin(app: FastifyInstance, deps: Deps, operations: PublicOperations): void {
  const kit = pageKit(deps);

  app.get(
    '/login',
    describedRoute({
      service: 'hosted-ui',
      operation: 'LoginPage',
      quotaCategory: null,
      errors: 'page',
      names: (req) => ({ poolId: null, clientId: queryOrEmpty(req).get('client_id') ?? null }),
      redact: () => ({}),
    }),
    async (req, reply) => {
      const params = queryOf(req);
      const lang = languageFor(req, params);
      rememberLanguage(reply, params, lang);
      const request = await kit.authorizeRequestOf(reply, params, lang);
      if (!request) return reply;
      return kit.send(reply, 200, signInPage(await kit.pageContext(reply, lang, params, request), null));
    },
  );

  app.post(
    '/login',
    {
      ...describedRoute({
        service: 'hosted-ui',
        operation: 'Login',
        quotaCategory: 'UserAuthentication',
        errors: 'page',
        names: (req) => ({ poolId: null, clientId: formOrEmpty(req).get('client_id') ?? null }),
        // Only which step it was: the username, password, code and session stay out of the trail.
        redact: (req) => ({ challenge: formOrEmpty(req).get('challenge') ?? 'PASSWORD', client_id: formOrEmpty(req).get('client_id') }),
      }),
      preHandler: app.csrfProtection,
    },
    async (req, reply) => {
      const form = formOf(req);
      const lang = languageFor(req, form);
      const request = await kit.authorizeRequestOf(reply, form, lang);
      if (!request) return reply;
      let built: Promise<PageContext> | null = null;
      const page = () => (built ??= kit.pageContext(reply, lang, form, request));
      const challenge = form.get('challenge');
      const step: Step = { req, reply, form, request, page, username: form.get('username') ?? '', lang, t: textFor(lang) };
      if (challenge && !PAGE_CHALLENGES.includes(challenge)) return kit.sendError(reply, 400, lang, 'generic');
      if (challenge) return answerChallenge(kit, deps, operations, step, challenge);
      const method = form.get('method');
      if (method === 'EMAIL_OTP' || method === 'SMS_OTP') {
        if (!(await page()).codeSignIn.includes(method)) return kit.sendError(reply, 400, lang, 'generic');
        return codeSignIn(kit, deps, operations, step, method);
      }
      return signIn(kit, deps, operations, step);
    },
  );
}

/** The password: the first step. */
async function signIn(kit: PageKit, deps: Deps, operations: PublicOperations, s: Step): Promise<FastifyReply> {
  const { pool, client } = s.request;
  const ctx = kit.hostedContext(s.req);
  let step: AuthStep;
  try {
    // The sign-in starts here, as InitiateAuth's does: the pre authentication trigger first (the pages send no ClientMetadata);
    // an unknown user is offered to the migration trigger as USER_PASSWORD_AUTH does.
    await preAuthentication(ctx, pool, client, { given: s.username, validationData: null });
    const migrate = (name: string, password: string) => migrateAtSignIn(ctx, pool, client, name, password, undefined);
    step = await afterFirstFactor(ctx, pool, client, await checkPasswordSignIn(ctx, pool, client, s.username, s.form.get('password') ?? '', migrate));
  } catch (err) {
    await recordAuthEvent(deps, ctx, null);
    if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
    // Cognito's pages take an unconfirmed user (whose password was right: the status is checked only after it) to the confirmation page, with a fresh code.
    if (err.code === 'UserNotConfirmedException') return toConfirmation(kit, operations, s);
    return kit.send(s.reply, 400, signInPage(await s.page(), triggerProblem(err) ?? s.t(problemKey(err)), s.username));
  }
  await recordAuthEvent(deps, ctx, step);
  runAfterSuccess(ctx);
  return nextStep(kit, deps, operations, s, step);
}

/**
 * A passwordless sign-in: USER_AUTH with the chosen factor preferred, as
 * Amplify's choice-based sign-in sends it; a code is sent and its page
 * follows. A factor the user cannot use (no verified address) answers the
 * sign-in form again, saying so.
 */
async function codeSignIn(kit: PageKit, deps: Deps, operations: PublicOperations, s: Step, factor: 'EMAIL_OTP' | 'SMS_OTP'): Promise<FastifyReply> {
  const { pool, client } = s.request;
  const ctx = kit.hostedContext(s.req);
  const userAuth = (await authFlows()).get('USER_AUTH');
  if (!userAuth) return kit.sendError(s.reply, 500, s.lang, 'generic');
  let step: AuthStep;
  try {
    step = await userAuth.start(
      { USERNAME: s.username, PREFERRED_CHALLENGE: factor, SECRET_HASH: secretHashFor(client, s.username) },
      { ctx, pool, client, endpoint: 'public' },
    );
  } catch (err) {
    await recordAuthEvent(deps, ctx, null);
    if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
    return kit.send(s.reply, 400, signInPage(await s.page(), triggerProblem(err) ?? s.t(problemKey(err)), s.username));
  }
  if (!('ChallengeName' in step) || step.ChallengeName !== factor) {
    if (!preventsUserExistenceErrors(client)) {
      await recordAuthEvent(deps, ctx, step);
      return kit.send(s.reply, 400, signInPage(await s.page(), s.t('problem.codeUnavailable'), s.username));
    }
    // PreventUserExistenceErrors ENABLED: an account that cannot get a code answers as an unknown name does, with a
    // code page whose every code fails; otherwise the difference would tell which accounts exist.
    step = await startPasswordlessCode(ctx, pool, client, factor, null, s.username);
  }
  await recordAuthEvent(deps, ctx, step);
  runAfterSuccess(ctx);
  return nextStep(kit, deps, operations, s, step);
}

async function toConfirmation(kit: PageKit, operations: PublicOperations, s: Step): Promise<FastifyReply> {
  const { client } = s.request;
  let destination: string | null = null;
  let error: string | null = null;
  try {
    const sent = (await operations(
      'ResendConfirmationCode',
      { ClientId: client.clientId, Username: s.username, SecretHash: secretHashFor(client, s.username) },
      kit.hostedContext(s.req),
    )) as { CodeDeliveryDetails?: { Destination?: string } };
    destination = sent.CodeDeliveryDetails?.Destination ?? null;
  } catch (err) {
    if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
    error = s.t(problemKey(err));
  }
  return kit.send(s.reply, 200, confirmSignUpPage(await s.page(), { username: s.username, destination, error, note: s.t('confirm.notConfirmed') }));
}

/** A challenge's answer: a new password, an MFA code, a choice of MFA, or an authenticator app's first code. */
async function answerChallenge(kit: PageKit, deps: Deps, operations: PublicOperations, s: Step, challenge: string): Promise<FastifyReply> {
  const { pool, client } = s.request;
  const ctx = kit.hostedContext(s.req);
  const env: FlowEnv = { ctx, pool, client, endpoint: 'public' };
  let session = s.form.get('session');
  const handler = (await challengeHandlers()).get(challenge);
  if (!handler) return kit.sendError(s.reply, 400, s.lang, 'generic');
  const responses: Record<string, string | undefined> = {
    USERNAME: s.username,
    NEW_PASSWORD: s.form.get('new_password'),
    ANSWER: s.form.get('answer'),
    SECRET_HASH: secretHashFor(client, s.username),
  };
  const codeKey = CODE_KEYS[challenge];
  if (codeKey) responses[codeKey] = s.form.get('code');
  // The required attributes the new-password page asked for, as NEW_PASSWORD_REQUIRED takes them.
  if (challenge === 'NEW_PASSWORD_REQUIRED')
    for (const field of missingAttributes(s, (s.form.get('required') ?? '').split(' ')))
      responses[`userAttributes.${field.name.slice(ATTRIBUTE_PREFIX.length)}`] = s.form.get(field.name)?.trim();
  let step: AuthStep;
  try {
    // An authenticator app's first code is checked by VerifySoftwareToken, whose Session then answers MFA_SETUP.
    if (challenge === 'MFA_SETUP') session = await verifyTotp(operations, kit.hostedContext(s.req), session ?? '', s.form.get('code') ?? '');
    step = await handler.respond(responses, session, env);
  } catch (err) {
    await recordAuthEvent(deps, ctx, null);
    if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
    const key = problemKey(err);
    const message =
      triggerProblem(err) ??
      (err.code === 'InvalidPasswordException'
        ? passwordProblemText(s.t, err.message)
        : s.t(key === 'problem.invalidInput' && challenge !== 'NEW_PASSWORD_REQUIRED' ? 'problem.badCode' : key));
    // A wrong code or password keeps the user on the step they were at; an expired session starts over.
    const original = s.form.get('session');
    if (original && key !== 'problem.sessionExpired') {
      if (challenge === 'MFA_SETUP') {
        const secret = await pendingTotpSecret(ctx, original);
        if (secret) return kit.send(s.reply, 400, await totpSetupPage(await s.page(), pool, { secret, session: original }, s.username, message));
      } else
        return kit.send(
          s.reply,
          400,
          challengePage(
            await s.page(),
            passwordPolicyOf(pool),
            challenge,
            original,
            s.username,
            message,
            [],
            missingAttributes(s, (s.form.get('required') ?? '').split(' ')),
            s.form,
          ),
        );
    }
    return kit.send(s.reply, 400, signInPage(await s.page(), message, s.username));
  }
  await recordAuthEvent(deps, ctx, step);
  runAfterSuccess(ctx);
  return nextStep(kit, deps, operations, s, step);
}

/** After a step: signed in (session cookie, then the app's callback), or the next challenge's page. */
async function nextStep(kit: PageKit, deps: Deps, operations: PublicOperations, s: Step, step: AuthStep): Promise<FastifyReply> {
  if ('Authenticated' in step) {
    const user = step.Authenticated;
    // The implicit grant's pre token generation function is asked first, outside the transaction; then the session and
    // the code (or the implicit grant's token family) in one commit: one fsync on SQLite, not two or three.
    const authTime = Math.floor(deps.clock.now() / 1000);
    const ctx = auditContextOf(s.req) ?? kit.hostedContext(s.req);
    const implicit = await implicitTokens(deps, s.request, user, authTime, preTokenGeneration(ctx, 'HostedAuth'));
    const location = await deps.store.transaction(async (tx) => {
      await startHostedSession(s.req, s.reply, { ...deps, store: tx }, user, authTime);
      return authorizationAnswer({ ...deps, store: tx }, s.request, user, authTime, implicit);
    });
    return s.reply.redirect(location, 302);
  }
  if ('AuthenticationResult' in step || !('Session' in step)) return kit.sendError(s.reply, 400, s.lang, 'generic');
  if (step.ChallengeName === 'MFA_SETUP') {
    const canSetUp = JSON.parse(step.ChallengeParameters['MFAS_CAN_SETUP'] ?? '[]') as string[];
    // Only an authenticator app is set up on the pages: a phone or email factor needs the attribute verified first.
    if (!canSetUp.includes('SOFTWARE_TOKEN_MFA')) return kit.sendError(s.reply, 400, s.lang, 'mfaSetupUnavailable');
    const setup = await associateTotp(operations, kit.hostedContext(s.req), step.Session);
    return kit.send(s.reply, 200, await totpSetupPage(await s.page(), s.request.pool, setup, s.username, null));
  }
  const choices = step.ChallengeName === 'SELECT_MFA_TYPE' ? (JSON.parse(step.ChallengeParameters['MFAS_CAN_CHOOSE'] ?? '[]') as string[]) : [];
  const required = (JSON.parse(step.ChallengeParameters['requiredAttributes'] ?? '[]') as string[]).map((a) => a.replace(/^userAttributes\./, ''));
  return kit.send(
    s.reply,
    200,
    challengePage(
      await s.page(),
      passwordPolicyOf(s.request.pool),
      step.ChallengeName,
      step.Session,
      s.username,
      null,
      choices,
      missingAttributes(s, required),
    ),
  );
}

/** The pool's required attributes among `names` (a new-password page's still-missing ones), as form fields. */
function missingAttributes(s: Step, names: string[]): Field[] {
  return requiredAttributeFields(s.request.pool, s.t).filter((f) => names.includes(f.name.slice(ATTRIBUTE_PREFIX.length)));
}

function challengePage(
  page: PageContext,
  policy: PasswordPolicy,
  challenge: string,
  session: string,
  username: string,
  error: string | null,
  choices: string[],
  missing: Field[] = [],
  values: Params = new Map(),
): string {
  if (challenge === 'NEW_PASSWORD_REQUIRED') return newPasswordPage(page, policy, session, username, error, missing, values);
  if (challenge === 'SELECT_MFA_TYPE')
    return selectMfaPage(page, choices.length ? choices : ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'], session, username, error);
  return codePage(page, challenge, session, username, error);
}
