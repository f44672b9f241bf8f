import type { TFunction } from 'i18next';
import type { Params } from '../oauth/params.ts';
import type { PasswordPolicy } from '../domain/pool-settings.ts';
import { ATTRIBUTE_PREFIX, type Field, input, passwordField } from './form-fields.ts';
import { html, page, problem } from './html.ts';
import type { Language } from './i18n.ts';
import { formFor, frame, hrefTo, note, type PageContext } from './page-context.ts';

// The sign-in pages: the form, then each challenge of the sign-in, each
// posting back to /login.

/** The sign-in form; `success` is a note such as "your account is confirmed" from the page before. */
export function signInPage(c: PageContext, error: string | null, username = '', success: string | null = null): string {
  const { t } = c;
  const fields = html`${note(success)}${problem(error)}<label class="label-customizable" for="username">${t(c.signInName)}</label><input class="inputField-customizable" type="text" id="username" name="username" value="${username}" autocomplete="username" autocapitalize="none" spellcheck="false" required><label class="label-customizable" for="password">${t('signIn.password')}</label><input class="inputField-customizable" type="password" id="password" name="password" autocomplete="current-password" required>`;
  const links = html`<p class="links redirect-customizable"><a href="${hrefTo(c, '/forgotPassword')}">${t('signIn.forgot')}</a></p>${c.signUpAllowed ? html`<p class="links redirect-customizable">${t('signIn.noAccount')} <a href="${hrefTo(c, '/signup')}">${t('signIn.signUp')}</a></p>` : null}`;
  // Passwordless: the same form, the username only, a code sent instead (a second submit button naming the factor).
  const codeButtons = c.codeSignIn.length
    ? html`<div class="secondary">${c.codeSignIn.map((f) => html`<button type="submit" name="method" value="${f}">${t(`signIn.with${f}`)}</button>`)}</div>`
    : null;
  return page(frame(c, t('signIn.title')), html`${formFor(c, '/login', fields, t('signIn.submit'), {}, codeButtons)}${links}`);
}

/** A one-time code: authenticator app, text message or email. */
export function codePage(c: PageContext, challenge: string, session: string, username: string, error: string | null): string {
  const { t } = c;
  const fields = html`${problem(error)}<p class="note">${t(`mfa.${challenge}`)}</p><label class="label-customizable" for="code">${t('mfa.code')}</label><input class="inputField-customizable" type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>`;
  return page(frame(c, t('mfa.title')), formFor(c, '/login', fields, t('mfa.submit'), { challenge, session, username }));
}

export function selectMfaPage(c: PageContext, choices: string[], session: string, username: string, error: string | null): string {
  const { t } = c;
  const options = choices.map(
    (choice, i) =>
      html`<div class="choice"><input type="radio" id="mfa-${i}" name="answer" value="${choice}"${i === 0 ? html` checked` : null}><label class="label-customizable" for="mfa-${i}">${t(`selectMfa.${choice}`)}</label></div>`,
  );
  const fields = html`${problem(error)}<fieldset><legend>${t('selectMfa.title')}</legend>${options}</fieldset>`;
  return page(frame(c, t('selectMfa.title')), formFor(c, '/login', fields, t('selectMfa.submit'), { challenge: 'SELECT_MFA_TYPE', session, username }));
}

/**
 * NEW_PASSWORD_REQUIRED: the new password, and the pool's required
 * attributes the invited user still lacks (the challenge's
 * requiredAttributes), which the answer must carry.
 */
export function newPasswordPage(
  c: PageContext,
  policy: PasswordPolicy,
  session: string,
  username: string,
  error: string | null,
  missing: Field[] = [],
  values: Params = new Map(),
): string {
  const { t } = c;
  const attributes = missing.map((f) => input(f, values.get(f.name) ?? ''));
  const fields = html`${problem(error)}<p class="note">${t('newPassword.intro')}</p>${passwordField(t, policy, 'new_password', t('newPassword.password'))}${attributes}`;
  const required = missing.map((f) => f.name.slice(ATTRIBUTE_PREFIX.length)).join(' ');
  return page(
    frame(c, t('newPassword.title')),
    formFor(c, '/login', fields, t('newPassword.submit'), { challenge: 'NEW_PASSWORD_REQUIRED', session, username, ...(required ? { required } : {}) }),
  );
}

export function errorPage(lang: Language, t: TFunction, messageKey: string): string {
  return page({ lang, t, title: t('error.title') }, html`<p role="alert">${t(`error.${messageKey}`)}</p>`);
}

export function signedOutPage(lang: Language, t: TFunction): string {
  return page({ lang, t, title: t('signedOut.title') }, html``);
}
