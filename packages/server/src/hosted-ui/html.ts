import type { TFunction } from 'i18next';
import type { Language } from './i18n.ts';

// Server-rendered HTML for the managed-login pages: no script at all (the
// Content-Security-Policy forbids it), one stylesheet, every value escaped.
// Elements carry the classic hosted UI's customizable class names
// (background-customizable, logo-customizable, label-customizable,
// inputField-customizable, submitButton-customizable,
// errorMessage-customizable, redirect-customizable: developer guide,
// "Hosted UI (classic) branding") so that CSS written for Cognito applies.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Markup already escaped: produced only by `html` and the helpers here. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Value = string | number | Html | Html[] | null | undefined | false;

/** A tagged template that escapes every interpolated value unless it is Html already. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    if (Array.isArray(v)) out += v.map((h) => h.markup).join('');
    else if (v instanceof Html) out += v.markup;
    else if (v !== null && v !== undefined && v !== false) out += escapeHtml(String(v));
    out += strings[i + 1] ?? '';
  });
  return new Html(out);
}

export interface PageFrame {
  lang: Language;
  t: TFunction;
  title: string;
  /** The pool's or client's CSS from SetUICustomization, served by its own route. */
  customCssUrl?: string | null;
  /** The logo from SetUICustomization, served by its own route; shown above the title. */
  logoUrl?: string | null;
  /** A dark-mode logo, shown instead under prefers-color-scheme: dark. */
  logoDarkUrl?: string | null;
  /** The managed login style's favicon, served by its own route. */
  faviconUrl?: string | null;
}

function logo(frame: PageFrame): Html | null {
  if (!frame.logoUrl) return null;
  const img = html`<img class="logo logo-customizable" src="${frame.logoUrl}" alt="${frame.t('frame.logo')}">`;
  return frame.logoDarkUrl ? html`<picture><source media="(prefers-color-scheme: dark)" srcset="${frame.logoDarkUrl}">${img}</picture>` : img;
}

export function page(frame: PageFrame, body: Html): string {
  return `<!doctype html>${
    html`<html lang="${frame.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${frame.title}</title>${frame.faviconUrl ? html`<link rel="icon" href="${frame.faviconUrl}">` : null}<link rel="stylesheet" href="/hosted-ui/style.css">${frame.customCssUrl ? html`<link rel="stylesheet" href="${frame.customCssUrl}">` : null}</head><body class="background-customizable"><main class="card">${logo(frame)}<h1>${frame.title}</h1>${body}</main></body></html>`
      .markup
  }`;
}

/** Hidden fields carrying values from page to page. */
export const hidden = (values: ReadonlyMap<string, string> | Record<string, string>): Html[] =>
  [...(values instanceof Map ? values : Object.entries(values))].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);

export const problem = (message: string | null): Html | null =>
  message ? html`<p class="problem errorMessage-customizable" role="alert">${message}</p>` : null;
