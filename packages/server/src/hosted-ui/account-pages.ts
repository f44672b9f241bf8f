import type { Pool } from '../domain/pool-settings.ts';
import { passwordPolicyOf } from '../domain/pool-settings.ts';
import { html, page, problem } from './html.ts';
import { type Field, input, passwordField, requiredAttributeFields, usernameField } from './form-fields.ts';
import { formFor, frame, hrefTo, note, type PageContext } from './page-context.ts';

// The pages around an account: sign-up, confirming it with the mailed
// code, and recovering a forgotten password (developer guide, "Managed
// login and classic hosted UI endpoints": /signup, /confirmuser,
// /forgotpassword, /confirmforgotpassword).

const backToSignIn = (c: PageContext) => html`<p class="links redirect-customizable"><a href="${hrefTo(c, '/login')}">${c.t('links.backToSignIn')}</a></p>`;

const newPasswordField = (c: PageContext, pool: Pool, name: string, label: string) => passwordField(c.t, passwordPolicyOf(pool), name, label);

export interface SignUpForm {
  /** What the user typed, kept when the form comes back with a problem (never the password). */
  values: ReadonlyMap<string, string>;
  error: string | null;
}

export function signUpPage(c: PageContext, pool: Pool, form: SignUpForm): string {
  const { t } = c;
  const fields: Field[] = [usernameField(pool, t), ...requiredAttributeFields(pool, t)];
  const body = html`${problem(form.error)}${fields.map((f) => input(f, form.values.get(f.name) ?? ''))}${newPasswordField(c, pool, 'password', t('field.password'))}`;
  const links = html`<p class="links redirect-customizable">${t('signUp.haveAccount')} <a href="${hrefTo(c, '/login')}">${t('signIn.submit')}</a></p>`;
  return page(frame(c, t('signUp.title')), html`${formFor(c, '/signup', body, t('signUp.submit'))}${links}`);
}

export interface ConfirmState {
  username: string;
  /** The masked address the code went to (CodeDeliveryDetails.Destination), when known. */
  destination: string | null;
  error: string | null;
  /** A note above the form, such as "a new code is on its way". */
  note: string | null;
}

/** The confirmation code; the username is asked for only when the page does not know it. A second form sends a new code. */
export function confirmSignUpPage(c: PageContext, s: ConfirmState): string {
  const { t } = c;
  const sent = s.destination ? t('confirm.sentTo', { destination: s.destination }) : t('confirm.sent');
  const who = s.username
    ? null
    : html`<label class="label-customizable" for="username">${t('field.username')}</label><input class="inputField-customizable" type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required>`;
  const fields = html`${note(s.note)}${problem(s.error)}<p class="note">${sent}</p>${who}<label class="label-customizable" for="code">${t('confirm.code')}</label><input class="inputField-customizable" type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>`;
  // The masked destination rides along only to be shown again: it is never used for anything else.
  const hiddenName: Record<string, string> = { ...(s.username ? { username: s.username } : {}), ...(s.destination ? { destination: s.destination } : {}) };
  const confirm = formFor(c, '/confirm', fields, t('confirm.submit'), { action: 'confirm', ...hiddenName });
  // Resending needs the username; without it the user types it in the form above first.
  const resend = s.username
    ? formFor(c, '/confirm', html`<p class="note">${t('confirm.noCode')}</p>`, t('confirm.resend'), { action: 'resend', ...hiddenName })
    : null;
  return page(frame(c, t('confirm.title')), html`${confirm}${resend ? html`<div class="secondary">${resend}</div>` : null}${backToSignIn(c)}`);
}

export function forgotPasswordPage(c: PageContext, pool: Pool, username: string, error: string | null): string {
  const { t } = c;
  const fields = html`${problem(error)}<p class="note">${t('forgot.intro')}</p>${input(usernameField(pool, t), username)}`;
  return page(frame(c, t('forgot.title')), html`${formFor(c, '/forgotPassword', fields, t('forgot.submit'))}${backToSignIn(c)}`);
}

/** `code` is kept when only the password was refused, so the user need not type the code again. */
export function resetPasswordPage(
  c: PageContext,
  pool: Pool,
  s: { username: string; destination: string | null; error: string | null; code?: string },
): string {
  const { t } = c;
  const sent = s.destination ? t('reset.sentTo', { destination: s.destination }) : t('reset.sent');
  const fields = html`${problem(s.error)}<p class="note">${sent}</p><label class="label-customizable" for="code">${t('reset.code')}</label><input class="inputField-customizable" type="text" id="code" name="code" value="${s.code ?? ''}" inputmode="numeric" autocomplete="one-time-code" required>${newPasswordField(c, pool, 'new_password', t('reset.password'))}`;
  return page(
    frame(c, t('reset.title')),
    html`${formFor(c, '/confirmForgotPassword', fields, t('reset.submit'), { username: s.username, ...(s.destination ? { destination: s.destination } : {}) })}<p class="links redirect-customizable"><a href="${hrefTo(c, '/forgotPassword')}">${t('reset.again')}</a></p>${backToSignIn(c)}`,
  );
}
