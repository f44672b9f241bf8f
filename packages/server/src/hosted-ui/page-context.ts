import type { TFunction } from 'i18next';
import { hidden, html, type Html, type PageFrame } from './html.ts';
import type { Language } from './i18n.ts';

// What every page is rendered with, and the pieces every page is built of:
// a form posting back to one of the pages with the authorization request's
// parameters and a CSRF token in hidden fields, links to the other pages
// that carry the same parameters, and the frame (title, branding).

export interface PageContext {
  lang: Language;
  t: TFunction;
  csrf: string;
  /** The authorization request's parameters, carried along. */
  carry: ReadonlyMap<string, string>;
  customCssUrl: string | null;
  logoUrl: string | null;
  logoDarkUrl: string | null;
  /** The managed login style's FAVICON_ICO, served by its own route. */
  faviconUrl: string | null;
  /** False when the pool lets only administrators create users (AdminCreateUserConfig.AllowAdminCreateUserOnly): no sign-up link. */
  signUpAllowed: boolean;
  /** The catalog key naming what users sign in with: a username, or the email or phone number the pool uses as one. */
  signInName: 'signIn.username' | 'signIn.email' | 'signIn.phone' | 'signIn.emailOrPhone';
  /**
   * The passwordless first factors the sign-in page offers beside the
   * password: those of the pool's AllowedFirstAuthFactors that send a code,
   * when the client allows choice-based sign-in (ALLOW_USER_AUTH).
   */
  codeSignIn: ('EMAIL_OTP' | 'SMS_OTP')[];
}

/** What the sign-in field is called, from the pool's UsernameAttributes (Cognito's "sign-in options"). */
export function signInNameKey(usernameAttributes: readonly string[] | undefined): PageContext['signInName'] {
  const email = usernameAttributes?.includes('email') ?? false;
  const phone = usernameAttributes?.includes('phone_number') ?? false;
  if (email && phone) return 'signIn.emailOrPhone';
  if (email) return 'signIn.email';
  if (phone) return 'signIn.phone';
  return 'signIn.username';
}

/** A form posting to `action`, with the carried parameters, the CSRF token and `extra` hidden. */
export const formFor = (c: PageContext, action: string, fields: Html, submit: string, extra: Record<string, string> = {}, more: Html | null = null): Html =>
  html`<form method="post" action="${action}" novalidate>${hidden(c.carry)}${hidden({ _csrf: c.csrf, ...extra })}${fields}<button type="submit" class="submitButton-customizable">${submit}</button>${more}</form>`;

/** A page's URL with the authorization request's parameters (and `extra`) in its query. */
export function hrefTo(c: PageContext, path: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams([...c.carry, ...Object.entries(extra)]);
  return `${path}?${query.toString()}`;
}

export const frame = (c: PageContext, title: string): PageFrame => ({
  lang: c.lang,
  t: c.t,
  title,
  customCssUrl: c.customCssUrl,
  logoUrl: c.logoUrl,
  logoDarkUrl: c.logoDarkUrl,
  faviconUrl: c.faviconUrl,
});

export const note = (message: string | null): Html | null => (message ? html`<p class="success" role="status">${message}</p>` : null);
