import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context, Deps } from '../context.ts';
import { challengeHandlers, type FlowEnv } from '../auth-flows/flow.ts';
import { CognitoError } from '../errors/cognito-error.ts';
import { noteAuditContext } from '../audit/note.ts';
import { describedRoute } from '../http/routes.ts';
import { recordAuthEvent } from '../services/auth-events.ts';
import type { AuthStep } from '../services/auth-step.ts';
import { secretHash } from '../services/lookups.ts';
import { afterFirstFactor, checkPasswordSignIn } from '../services/sign-in.ts';
import { type AuthorizeRequest, checkAuthorizeRequest } from '../oauth/authorize-request.ts';
import { authorizationAnswer } from '../oauth/answer.ts';
import type { PublicOperations } from './public-operations.ts';
import { startHostedSession } from '../oauth/hosted-session.ts';
import { formOf, formOrEmpty, queryOf, queryOrEmpty, type Params } from '../oauth/params.ts';
import { pageCsp } from './csp.ts';
import { type Language, languageOf, textFor } from './i18n.ts';
import { codePage, errorPage, newPasswordPage, type PageContext, selectMfaPage, signInPage } from './pages.ts';

// GET /login shows the sign-in form for an authorization request; POST
// /login takes each step of the sign-in (password, then any challenge:
// a new password, an MFA code, a choice of MFA) through the same sign-in
// services as InitiateAuth and RespondToAuthChallenge, with
// Context.hostedSignIn set so that success ends in a managed-login session
// and the authorization answer rather than API tokens.

/** The authorization request's parameters, the ones a page carries along. */
const CARRIED = ['client_id', 'redirect_uri', 'response_type', 'state', 'scope', 'nonce', 'code_challenge', 'code_challenge_method', 'lang'];
const LANG_COOKIE = 'cognito-lang';

const carried = (params: Params): Map<string, string> => new Map(CARRIED.flatMap((k) => (params.has(k) ? [[k, params.get(k) ?? '']] : [])));

function languageFor(req: FastifyRequest, params: Params): Language {
  return languageOf(params.get('lang')) ?? languageOf(req.cookies[LANG_COOKIE]) ?? 'en';
}

/** What a refused step tells the user: the catalog's wording for Cognito's error, never a stack or internal detail. */
function problemKey(err: CognitoError): string {
  const m = err.message;
  if (err.code === 'NotAuthorizedException') {
    if (m.includes('attempts exceeded')) return 'problem.attempts';
    if (m.includes('disabled')) return 'problem.disabled';
    if (m.includes('session')) return 'problem.sessionExpired';
    return 'problem.incorrect';
  }
  if (err.code === 'UserNotConfirmedException') return 'problem.notConfirmed';
  if (err.code === 'PasswordResetRequiredException') return 'problem.resetRequired';
  if (err.code === 'CodeMismatchException' || err.code === 'ExpiredCodeException') return 'problem.badCode';
  if (err.code === 'InvalidPasswordException') return 'problem.badPassword';
  if (err.code === 'UserNotFoundException') return 'problem.incorrect';
  return 'problem.generic';
}

export function registerLogin(app: FastifyInstance, deps: Deps, _operations: PublicOperations): void {
  const send = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

  /** Checks the authorization request the page is for; a refusal is answered here (error page or redirect) and null returned. */
  async function authorizeRequestOf(reply: FastifyReply, params: Params, lang: Language): Promise<AuthorizeRequest | null> {
    const checked = await checkAuthorizeRequest(deps.store, params);
    if (checked.ok) return checked.request;
    if (checked.refusal.kind === 'page') {
      await send(reply, 400, errorPage(lang, textFor(lang), checked.refusal.message));
      return null;
    }
    await reply.redirect(checked.refusal.to, 302);
    return null;
  }

  const pageContext = (reply: FastifyReply, lang: Language, params: Params, request: AuthorizeRequest): PageContext => {
    // The form's answer redirects to the app's callback.
    reply.header('content-security-policy', pageCsp([request.redirectUri]));
    return {
      lang,
      t: textFor(lang),
      csrf: reply.generateCsrf(),
      carry: carried(params),
      customCssUrl: null,
    };
  };

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
      if (params.has('lang')) reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true });
      const request = await authorizeRequestOf(reply, params, lang);
      if (!request) return reply;
      return send(reply, 200, signInPage(pageContext(reply, lang, params, request), null));
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
      const request = await authorizeRequestOf(reply, form, lang);
      if (!request) return reply;
      const { pool, client } = request;
      const ctx: Context = {
        ...deps,
        request: { requestId: req.id, sourceIp: req.ip, userAgent: String(req.headers['user-agent'] ?? '') },
        caller: { kind: 'public' },
        afterSuccess: [],
        hostedSignIn: true,
      };
      noteAuditContext(req, ctx);
      const env: FlowEnv = { ctx, pool, client, endpoint: 'public' };
      const username = form.get('username') ?? '';
      const challenge = form.get('challenge');
      const session = form.get('session');
      const page = pageContext(reply, lang, form, request);

      let step: AuthStep;
      try {
        if (!challenge) {
          step = await afterFirstFactor(ctx, pool, client, await checkPasswordSignIn(ctx, pool, client, username, form.get('password') ?? ''));
        } else {
          const handler = (await challengeHandlers()).get(challenge);
          if (!handler || !['NEW_PASSWORD_REQUIRED', 'SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SELECT_MFA_TYPE'].includes(challenge)) {
            return send(reply, 400, errorPage(lang, page.t, 'generic'));
          }
          const codeKey = { SMS_MFA: 'SMS_MFA_CODE', SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE', EMAIL_OTP: 'EMAIL_OTP_CODE' }[challenge as 'SMS_MFA'];
          const responses: Record<string, string | undefined> = {
            USERNAME: username,
            NEW_PASSWORD: form.get('new_password'),
            ANSWER: form.get('answer'),
            // The pages act for the client: they hold its secret, and prove it as an app's server would.
            SECRET_HASH: client.secret === null ? undefined : secretHash(client.secret, username, client.clientId),
          };
          if (codeKey) responses[codeKey] = form.get('code');
          step = await handler.respond(responses, session, env);
        }
      } catch (err) {
        await recordAuthEvent(deps, ctx, null);
        if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
        const message = page.t(problemKey(err));
        // A wrong code or password keeps the user on the step they were at; an expired session starts over.
        if (challenge && session && problemKey(err) !== 'problem.sessionExpired')
          return send(reply, 400, challengePage(page, challenge, session, username, message, []));
        return send(reply, 400, signInPage(page, message, username));
      }
      await recordAuthEvent(deps, ctx, step);
      if ('Authenticated' in step) {
        const authTime = await startHostedSession(req, reply, deps, step.Authenticated);
        return reply.redirect(await authorizationAnswer(deps, request, step.Authenticated, authTime), 302);
      }
      if ('AuthenticationResult' in step || !('Session' in step)) return send(reply, 400, errorPage(lang, page.t, 'generic'));
      const choices = step.ChallengeName === 'SELECT_MFA_TYPE' ? (JSON.parse(step.ChallengeParameters['MFAS_CAN_CHOOSE'] ?? '[]') as string[]) : [];
      return send(reply, 200, challengePage(page, step.ChallengeName, step.Session, username, null, choices));
    },
  );
}

function challengePage(page: PageContext, challenge: string, session: string, username: string, error: string | null, choices: string[]): string {
  if (challenge === 'NEW_PASSWORD_REQUIRED') return newPasswordPage(page, session, username, error);
  if (challenge === 'SELECT_MFA_TYPE')
    return selectMfaPage(page, choices.length ? choices : ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'], session, username, error);
  return codePage(page, challenge, session, username, error);
}
