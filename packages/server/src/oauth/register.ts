import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import type { PublicOperations } from '../hosted-ui/public-operations.ts';
import { registerBranding } from '../hosted-ui/branding.ts';
import { registerConfirm } from '../hosted-ui/confirm.ts';
import { registerLogin } from '../hosted-ui/login.ts';
import { registerRecovery } from '../hosted-ui/recovery.ts';
import { registerSignUp } from '../hosted-ui/signup.ts';
import { pageCsp } from '../hosted-ui/csp.ts';
import { STYLE } from '../hosted-ui/style.ts';
import { registerAuthorize } from './authorize.ts';
import { domainGuard } from './domain-host.ts';
import { registerLogout } from './logout.ts';
import { formOrEmpty } from './params.ts';
import { registerRevoke } from './revoke.ts';
import { registerToken } from './token.ts';
import { registerUserInfo } from './userinfo.ts';

/**
 * The OAuth 2.0 endpoints and the managed-login pages, at Cognito's paths,
 * in their own Fastify context: cookies, CSRF tokens and the strict
 * security headers (no script, no framing) apply to these routes and not to
 * the AWS-JSON API beside them.
 */
export async function registerOAuth(app: FastifyInstance, deps: Deps, operations: PublicOperations): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(cookie);
    await scope.register(csrf, {
      // The CSRF secret's cookie; the token travels in each form's _csrf field (double submit, bound to that secret).
      cookieKey: '_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' },
      getToken: (req) => formOrEmpty(req).get('_csrf'),
    });
    await scope.register(helmet, {
      // Set per page by the hook below (hosted-ui/csp.ts).
      contentSecurityPolicy: false,
      // Redirects to the client's callback carry the code: no Referer leaks it onward.
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
      // Popup sign-in (oidc-client-ts signinPopup) needs window.opener across the pages.
      crossOriginOpenerPolicy: false,
    });
    scope.addHook('preHandler', domainGuard(deps));
    scope.addHook('onRequest', async (_req, reply) => {
      reply.header('content-security-policy', pageCsp());
    });
    scope.get('/hosted-ui/style.css', async (_req, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLE),
    );
    registerAuthorize(scope, deps);
    registerBranding(scope, deps);
    registerLogin(scope, deps, operations);
    registerSignUp(scope, deps, operations);
    registerConfirm(scope, deps, operations);
    registerRecovery(scope, deps, operations);
    registerToken(scope, deps);
    registerUserInfo(scope, deps);
    registerRevoke(scope, deps);
    registerLogout(scope, deps);
  });
}
