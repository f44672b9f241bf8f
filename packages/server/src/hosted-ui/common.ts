import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { Context, Deps } from '../context.ts';
import { requestContext } from '../http/request-context.ts';
import { type AppClient, allowsFlow } from '../domain/client-settings.ts';
import type { CognitoError } from '../errors/cognito-error.ts';
import { type AuthorizeRequest, checkAuthorizeRequest } from '../oauth/authorize-request.ts';
import { describedRoute } from '../http/routes.ts';
import { formOrEmpty, type Params, queryOrEmpty } from '../oauth/params.ts';
import type { QuotaCategory } from '../services/quota-categories.ts';
import { secretHash } from '../services/lookups.ts';
import { poolFirstFactors } from '../services/passwordless.ts';
import { brandingOf } from './branding.ts';
import { pageCsp } from './csp.ts';
import { type Language, languageOf, textFor } from './i18n.ts';
import { type PageContext, signInNameKey } from './page-context.ts';
import { errorPage } from './pages.ts';

// What every managed-login page route shares: reading the language, checking
// the authorization request the page belongs to, the page's context (text,
// CSRF token, carried parameters, branding), the request Context the sign-in
// services and public operations run with, and the catalog key for a refusal.

/** The authorization request's parameters, the ones a page carries along. */
const CARRIED = ['client_id', 'redirect_uri', 'response_type', 'state', 'scope', 'nonce', 'code_challenge', 'code_challenge_method', 'lang'];
const LANG_COOKIE = 'cognito-lang';

export const carried = (params: Params): Map<string, string> => new Map(CARRIED.flatMap((k) => (params.has(k) ? [[k, params.get(k) ?? '']] : [])));

/** The `lang` parameter, else the language remembered in the cookie, else English (developer guide, "Managed login": `lang`). */
export function languageFor(req: FastifyRequest, params: Params): Language {
  return languageOf(params.get('lang')) ?? languageOf(req.cookies[LANG_COOKIE]) ?? 'en';
}

/** Remembers a `lang` given on a page's URL until another is given, as Cognito does with its cookie. */
export function rememberLanguage(reply: FastifyReply, params: Params, lang: Language): void {
  if (params.has('lang')) reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true });
}

/** What a refused step tells the user: the catalog's wording for Cognito's error, never a stack or internal detail. */
const TRIGGER_ERRORS = ['UserLambdaValidationException', 'InvalidLambdaResponseException', 'UnexpectedLambdaException'];

/**
 * A Lambda trigger's refusal in its own words ("PreAuthentication failed with
 * error …"), which Cognito's pages show above the form; null for any other error.
 */
export const triggerProblem = (err: CognitoError): string | null => (TRIGGER_ERRORS.includes(err.code) ? err.message : null);

export function problemKey(err: CognitoError): string {
  const m = err.message;
  switch (err.code) {
    case 'NotAuthorizedException':
      if (m.includes('attempts exceeded')) return 'problem.attempts';
      if (m.includes('disabled')) return 'problem.disabled';
      if (m.includes('session')) return 'problem.sessionExpired';
      if (m.includes('SignUp is not permitted')) return 'problem.signUpClosed';
      return 'problem.incorrect';
    case 'UserNotConfirmedException':
      return 'problem.notConfirmed';
    case 'PasswordResetRequiredException':
      return 'problem.resetRequired';
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
    case 'EnableSoftwareTokenMFAException':
      return 'problem.badCode';
    case 'InvalidPasswordException':
      return 'problem.badPassword';
    case 'PasswordHistoryPolicyViolationException':
      return 'problem.passwordReused';
    case 'UserNotFoundException':
      return 'problem.incorrect';
    case 'UsernameExistsException':
      return 'problem.usernameExists';
    case 'AliasExistsException':
      return 'problem.aliasExists';
    case 'InvalidParameterException':
      return 'problem.invalidInput';
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return 'problem.attempts';
    case 'CodeDeliveryFailureException':
      return 'problem.delivery';
    default:
      return 'problem.generic';
  }
}

/** The SECRET_HASH a client with a secret needs: the pages act for the client and hold its secret, as an app's server would. */
export const secretHashFor = (client: AppClient, username: string): string | undefined =>
  client.secret === null ? undefined : secretHash(client.secret, username, client.clientId);

/** A page's GET route as audit, IP rules and rate limits see it: the client named, nothing else kept. */
export const pageRoute = (operation: string): RouteShorthandOptions =>
  describedRoute({
    service: 'hosted-ui',
    operation,
    quotaCategory: null,
    errors: 'page',
    names: (req) => ({ poolId: null, clientId: queryOrEmpty(req).get('client_id') ?? null }),
    redact: () => ({}),
  });

/** A form's POST route: counted against the operation's quota; only the client and `action` kept (usernames, passwords and codes stay out of the trail). */
export const formRoute = (operation: string, quotaCategory: QuotaCategory): RouteShorthandOptions =>
  describedRoute({
    service: 'hosted-ui',
    operation,
    quotaCategory,
    errors: 'page',
    names: (req) => ({ poolId: null, clientId: formOrEmpty(req).get('client_id') ?? null }),
    redact: (req) => ({ client_id: formOrEmpty(req).get('client_id'), action: formOrEmpty(req).get('action') }),
  });

/** A page opened for a checked authorization request. */
export interface OpenPage {
  request: AuthorizeRequest;
  page: PageContext;
}

export interface PageKit {
  /** Reads the language, checks the authorization request and builds the page's context; null when the refusal has been answered. */
  open(req: FastifyRequest, reply: FastifyReply, params: Params): Promise<OpenPage | null>;
  send(reply: FastifyReply, status: number, body: string): FastifyReply;
  /** Checks the authorization request the page is for; a refusal is answered here (error page or redirect) and null returned. */
  authorizeRequestOf(reply: FastifyReply, params: Params, lang: Language): Promise<AuthorizeRequest | null>;
  /** The page's context; sets the page's CSP (its form's answer may redirect to the app's callback). */
  pageContext(reply: FastifyReply, lang: Language, params: Params, request: AuthorizeRequest): Promise<PageContext>;
  /** The Context a page's step runs the sign-in services and public operations with, noted for the audit trail. */
  hostedContext(req: FastifyRequest): Context;
  /** An error page in the user's language. */
  sendError(reply: FastifyReply, status: number, lang: Language, messageKey: string): FastifyReply;
}

export function pageKit(deps: Deps): PageKit {
  const send = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const sendError = (reply: FastifyReply, status: number, lang: Language, messageKey: string) =>
    send(reply, status, errorPage(lang, textFor(lang), messageKey));

  const kit: PageKit = {
    send,
    sendError,
    async open(req, reply, params) {
      const lang = languageFor(req, params);
      rememberLanguage(reply, params, lang);
      const request = await kit.authorizeRequestOf(reply, params, lang);
      return request ? { request, page: await kit.pageContext(reply, lang, params, request) } : null;
    },
    async authorizeRequestOf(reply, params, lang) {
      const checked = await checkAuthorizeRequest(deps.store, params);
      if (checked.ok) return checked.request;
      if (checked.refusal.kind === 'page') {
        await sendError(reply, 400, lang, checked.refusal.message);
        return null;
      }
      await reply.redirect(checked.refusal.to, 302);
      return null;
    },
    async pageContext(reply, lang, params, request) {
      reply.header('content-security-policy', pageCsp([request.redirectUri]));
      const branding = await brandingOf(deps.store, request.pool.id, request.client.clientId);
      return {
        lang,
        t: textFor(lang),
        csrf: reply.generateCsrf(),
        carry: carried(params),
        customCssUrl: branding.cssUrl,
        logoUrl: branding.logoUrl,
        logoDarkUrl: branding.logoDarkUrl,
        faviconUrl: branding.faviconUrl,
        signUpAllowed: !request.pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly,
        signInName: signInNameKey(request.pool.settings.UsernameAttributes),
        codeSignIn: allowsFlow(request.client, 'ALLOW_USER_AUTH')
          ? poolFirstFactors(deps, request.pool).filter((f): f is 'EMAIL_OTP' | 'SMS_OTP' => f === 'EMAIL_OTP' || f === 'SMS_OTP')
          : [],
      };
    },
    hostedContext: (req) => requestContext(deps, req, { hostedSignIn: true }),
  };
  return kit;
}
