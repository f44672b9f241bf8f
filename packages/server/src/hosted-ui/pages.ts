import type { TFunction } from 'i18next';
import { hidden, html, page, problem, type Html } from './html.ts';
import type { Language } from './i18n.ts';

// The pages themselves: each a form that posts back to /login with the
// authorization request's parameters and a CSRF token in hidden fields.

export interface PageContext {
  lang: Language;
  t: TFunction;
  csrf: string;
  /** The authorization request's parameters, carried along. */
  carry: ReadonlyMap<string, string>;
  customCssUrl: string | null;
}

const form = (c: PageContext, fields: Html, submit: string, extra: Record<string, string> = {}): Html =>
  html`<form method="post" action="/login" novalidate>${hidden(c.carry)}${hidden({ _csrf: c.csrf, ...extra })}${fields}<button type="submit">${submit}</button></form>`;

const frame = (c: PageContext, title: string) => ({ lang: c.lang, t: c.t, title, customCssUrl: c.customCssUrl });

export function signInPage(c: PageContext, error: string | null, username = ''): string {
  const { t } = c;
  const fields = html`${problem(error)}<label for="username">${t('signIn.username')}</label><input type="text" id="username" name="username" value="${username}" autocomplete="username" autocapitalize="none" spellcheck="false" required><label for="password">${t('signIn.password')}</label><input type="password" id="password" name="password" autocomplete="current-password" required>`;
  return page(frame(c, t('signIn.title')), form(c, fields, t('signIn.submit')));
}

/** A one-time code: authenticator app, text message or email. */
export function codePage(c: PageContext, challenge: string, session: string, username: string, error: string | null): string {
  const { t } = c;
  const fields = html`${problem(error)}<p class="note">${t(`mfa.${challenge}`)}</p><label for="code">${t('mfa.code')}</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>`;
  return page(frame(c, t('mfa.title')), form(c, fields, t('mfa.submit'), { challenge, session, username }));
}

export function selectMfaPage(c: PageContext, choices: string[], session: string, username: string, error: string | null): string {
  const { t } = c;
  const options = choices.map(
    (choice, i) =>
      html`<div class="choice"><input type="radio" id="mfa-${i}" name="answer" value="${choice}"${i === 0 ? html` checked` : null}><label for="mfa-${i}">${t(`selectMfa.${choice}`)}</label></div>`,
  );
  const fields = html`${problem(error)}<fieldset><legend>${t('selectMfa.title')}</legend>${options}</fieldset>`;
  return page(frame(c, t('selectMfa.title')), form(c, fields, t('selectMfa.submit'), { challenge: 'SELECT_MFA_TYPE', session, username }));
}

export function newPasswordPage(c: PageContext, session: string, username: string, error: string | null): string {
  const { t } = c;
  const fields = html`${problem(error)}<p class="note">${t('newPassword.intro')}</p><label for="new_password">${t('newPassword.password')}</label><input type="password" id="new_password" name="new_password" autocomplete="new-password" required>`;
  return page(frame(c, t('newPassword.title')), form(c, fields, t('newPassword.submit'), { challenge: 'NEW_PASSWORD_REQUIRED', session, username }));
}

export function errorPage(lang: Language, t: TFunction, messageKey: string): string {
  return page({ lang, t, title: t('error.title') }, html`<p role="alert">${t(`error.${messageKey}`)}</p>`);
}

export function signedOutPage(lang: Language, t: TFunction): string {
  return page({ lang, t, title: t('signedOut.title') }, html``);
}
