import QRCode from 'qrcode';
import type { Context } from '../context.ts';
import type { Pool } from '../domain/pool-settings.ts';
import { softwareTokenCaller } from '../services/software-token.ts';
import { openTotpSecret } from '../services/totp.ts';
import { html, page, problem } from './html.ts';
import { formFor, frame, type PageContext } from './page-context.ts';
import type { PublicOperations } from './public-operations.ts';

// MFA_SETUP on the pages: the pool requires MFA and the user has no factor
// yet. The pages do what an app does with the API (developer guide, "TOTP
// software token MFA"): AssociateSoftwareToken with the challenge's Session
// gives the secret (shown as a QR code and as text), VerifySoftwareToken
// with a code from the app and that Session turns it on, and MFA_SETUP is
// answered with the Session VerifySoftwareToken hands back.

export interface TotpSetup {
  secret: string;
  session: string;
}

/** A new secret for the user of an MFA_SETUP Session, and the Session to verify it with. */
export async function associateTotp(operations: PublicOperations, ctx: Context, session: string): Promise<TotpSetup> {
  const answer = (await operations('AssociateSoftwareToken', { Session: session }, ctx)) as { SecretCode?: string; Session?: string };
  if (!answer.SecretCode || !answer.Session) throw new Error('AssociateSoftwareToken answered without a secret or session');
  return { secret: answer.SecretCode, session: answer.Session };
}

/** Checks the code; on success the Session that answers MFA_SETUP. Throws the operation's CognitoError on a wrong code. */
export async function verifyTotp(operations: PublicOperations, ctx: Context, session: string, code: string): Promise<string> {
  const answer = (await operations('VerifySoftwareToken', { Session: session, UserCode: code }, ctx)) as { Session?: string };
  if (!answer.Session) throw new Error('VerifySoftwareToken answered without a session');
  return answer.Session;
}

/**
 * The secret still waiting for a right code, to show again after a wrong
 * one (a wrong code consumes neither the Session nor the secret), or null
 * when the Session is no longer usable.
 */
export async function pendingTotpSecret(ctx: Context, session: string): Promise<string | null> {
  try {
    const caller = await softwareTokenCaller(ctx, { Session: session });
    const sealed = (await ctx.store.mfa.get(caller.user.sub))?.totp_pending_sealed;
    return sealed ? openTotpSecret(ctx.master, caller.user.sub, sealed) : null;
  } catch {
    return null;
  }
}

/** The otpauth URI an authenticator app reads (Google Authenticator's Key URI Format): issuer = the pool's name. */
export function otpauthUri(pool: Pool, username: string, secret: string): string {
  const label = `${encodeURIComponent(pool.name)}:${encodeURIComponent(username)}`;
  return `otpauth://totp/${label}?${new URLSearchParams({ secret, issuer: pool.name }).toString()}`;
}

/** The setup page: the QR code as a data: image (the CSP allows img-src data:, no script needed), the secret as text, a code field. */
export async function totpSetupPage(c: PageContext, pool: Pool, setup: TotpSetup, username: string, error: string | null): Promise<string> {
  const { t } = c;
  const qr = await QRCode.toDataURL(otpauthUri(pool, username, setup.secret), { errorCorrectionLevel: 'M', margin: 2, width: 200 });
  // Groups of four, as authenticator apps show and accept them.
  const grouped = setup.secret.replace(/(.{4})(?=.)/g, '$1 ');
  const fields = html`${problem(error)}<p class="note">${t('totpSetup.intro')}</p><img class="qr" src="${qr}" alt="${t('totpSetup.qrAlt')}" width="200" height="200"><p class="note">${t('totpSetup.manual')}</p><p class="secret" id="secret">${grouped}</p><label class="label-customizable" for="code">${t('totpSetup.code')}</label><input class="inputField-customizable" type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>`;
  return page(
    frame(c, t('totpSetup.title')),
    formFor(c, '/login', fields, t('totpSetup.submit'), { challenge: 'MFA_SETUP', session: setup.session, username }),
  );
}
