import type { BrandingAsset, ManagedLoginBranding } from '../domain/oauth-config.ts';

// A managed login branding style (CreateManagedLoginBranding's Settings and
// Assets) turned into what the pages can use: CSS generated from the
// Settings document, and the image assets served from our own paths.
//
// The Settings document's keys are not specified in the API reference (it
// says only "a JSON file, encoded as a Document type"); the ones mapped here
// are those of the AWS CLI's update-managed-login-branding example (the
// document the branding editor produces): components.* and componentClasses.*
// with lightMode/darkMode colours, borderRadius numbers, and
// categories.global.colorSchemeMode. Only values that pass a strict check go
// into the CSS: colours as 6 or 8 hex digits (Cognito's RRGGBBAA), radii as
// numbers in a fixed range, keywords from a fixed list; anything else is
// left out, so nothing in a style can reach the CSS as text.

const HEX_COLOR = /^[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

/** `#rrggbbaa` from Cognito's RRGGBB[AA], or null for anything else. */
export function cssColor(value: unknown): string | null {
  return typeof value === 'string' && HEX_COLOR.test(value) ? `#${value.toLowerCase()}` : null;
}

/** A radius in pixels (0 to 100), or null. */
export function cssRadius(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100 ? `${Math.round(value * 100) / 100}px` : null;
}

/** The value at a path of object keys, or undefined. */
function at(root: unknown, ...path: string[]): unknown {
  let v = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export type ColorScheme = 'LIGHT' | 'DARK' | 'DYNAMIC';
const SCHEMES: readonly ColorScheme[] = ['LIGHT', 'DARK', 'DYNAMIC'];

/** categories.global.colorSchemeMode: LIGHT (the example's value) unless DARK or DYNAMIC. */
export function colorSchemeOf(settings: Record<string, unknown> | null): ColorScheme {
  const v = at(settings, 'categories', 'global', 'colorSchemeMode');
  return SCHEMES.find((s) => s === v) ?? 'LIGHT';
}

type Mode = 'lightMode' | 'darkMode';

const TEXT_INPUTS = '.card input:not([type=checkbox]):not([type=radio])';

/** One CSS property fed from one setting: where it is under the mode, and how it is checked. */
type Mapping = readonly [selector: string, property: string, path: readonly string[]];

// [selector, CSS property, path under components/componentClasses.<name>.<mode>]
const MODE_COLORS: Record<string, readonly Mapping[]> = {
  'components.pageBackground': [['body.background-customizable', 'background-color', ['color']]],
  'components.form': [['.card', 'background-color', ['backgroundColor']]],
  'components.pageText': [
    ['.card', 'color', ['bodyColor']],
    ['h1', 'color', ['headingColor']],
    ['.note,.rules,.hint', 'color', ['descriptionColor']],
  ],
  'components.primaryButton': [
    ['.submitButton-customizable', 'background-color', ['defaults', 'backgroundColor']],
    ['.submitButton-customizable', 'color', ['defaults', 'textColor']],
    ['.submitButton-customizable:hover', 'background-color', ['hover', 'backgroundColor']],
    ['.submitButton-customizable:hover', 'color', ['hover', 'textColor']],
    ['.submitButton-customizable:active', 'background-color', ['active', 'backgroundColor']],
    ['.submitButton-customizable:active', 'color', ['active', 'textColor']],
  ],
  'components.secondaryButton': [
    ['.secondary button', 'background-color', ['defaults', 'backgroundColor']],
    ['.secondary button', 'border-color', ['defaults', 'borderColor']],
    ['.secondary button', 'color', ['defaults', 'textColor']],
    ['.secondary button:hover', 'background-color', ['hover', 'backgroundColor']],
    ['.secondary button:hover', 'border-color', ['hover', 'borderColor']],
    ['.secondary button:hover', 'color', ['hover', 'textColor']],
    ['.secondary button:active', 'background-color', ['active', 'backgroundColor']],
    ['.secondary button:active', 'border-color', ['active', 'borderColor']],
    ['.secondary button:active', 'color', ['active', 'textColor']],
  ],
  'components.alert': [
    ['.problem', 'background-color', ['error', 'backgroundColor']],
    ['.problem', 'border-color', ['error', 'borderColor']],
  ],
  'componentClasses.input': [
    [TEXT_INPUTS, 'background-color', ['defaults', 'backgroundColor']],
    [TEXT_INPUTS, 'border-color', ['defaults', 'borderColor']],
    [`${TEXT_INPUTS}::placeholder`, 'color', ['placeholderColor']],
  ],
  'componentClasses.inputLabel': [['label,legend', 'color', ['textColor']]],
  'componentClasses.inputDescription': [['.hint', 'color', ['textColor']]],
  'componentClasses.link': [
    ['a', 'color', ['defaults', 'textColor']],
    ['a:hover', 'color', ['hover', 'textColor']],
  ],
  'componentClasses.focusState': [['input:focus,button:focus', 'outline-color', ['borderColor']]],
  'componentClasses.divider': [['.secondary', 'border-top-color', ['borderColor']]],
};

// [selector, CSS property, path under the settings]: the mode-independent radii.
const RADII: readonly Mapping[] = [
  ['.card', 'border-radius', ['components', 'form', 'borderRadius']],
  ['button', 'border-radius', ['componentClasses', 'buttons', 'borderRadius']],
  [TEXT_INPUTS, 'border-radius', ['componentClasses', 'input', 'borderRadius']],
  ['.problem', 'border-radius', ['components', 'alert', 'borderRadius']],
];

/** Selector → declarations, in first-seen order. */
class Rules {
  private readonly rules = new Map<string, string[]>();
  add(selector: string, property: string, value: string | null): void {
    if (value === null) return;
    const list = this.rules.get(selector) ?? [];
    list.push(`${property}:${value}`);
    this.rules.set(selector, list);
  }
  get size(): number {
    return this.rules.size;
  }
  toString(): string {
    return [...this.rules].map(([selector, decls]) => `${selector}{${decls.join(';')}}`).join('\n');
  }
}

function modeRules(settings: Record<string, unknown>, mode: Mode, backgroundUrl: string | null): Rules {
  const rules = new Rules();
  for (const [where, mappings] of Object.entries(MODE_COLORS)) {
    const base = at(settings, ...where.split('.'), mode);
    for (const [selector, property, path] of mappings) rules.add(selector, property, cssColor(at(base, ...path)));
  }
  // A form border colour given: the card gets a visible border of that colour.
  const formBorder = cssColor(at(settings, 'components', 'form', mode, 'borderColor'));
  if (formBorder) rules.add('.card', 'border', `1px solid ${formBorder}`);
  if (backgroundUrl) {
    // The URL is one we generate (same-origin, url-safe characters only), never a value from the style.
    rules.add('body.background-customizable', 'background-image', `url("${backgroundUrl}")`);
    rules.add('body.background-customizable', 'background-size', 'cover');
    rules.add('body.background-customizable', 'background-position', 'center');
  }
  return rules;
}

export interface ManagedCssInput {
  settings: Record<string, unknown> | null;
  /** Same-origin paths of the PAGE_BACKGROUND images, for light and dark mode. */
  background?: { light: string | null; dark: string | null };
}

/** The CSS a style's Settings call for: empty when there is nothing (valid) to apply. */
export function managedLoginCss({ settings, background }: ManagedCssInput): string {
  if (!settings) return '';
  const scheme = colorSchemeOf(settings);
  const parts: string[] = ['/* managed login branding (generated) */'];
  const radii = new Rules();
  for (const [selector, property, path] of RADII) radii.add(selector, property, cssRadius(at(settings, ...path)));
  if (radii.size) parts.push(radii.toString());
  const safeUrl = (u: string | null | undefined) => (u && /^\/[A-Za-z0-9/_.?=&%-]*$/.test(u) ? u : null);
  const light = modeRules(settings, 'lightMode', safeUrl(background?.light));
  const dark = modeRules(settings, 'darkMode', safeUrl(background?.dark));
  if (scheme === 'LIGHT') {
    parts.push(':root{color-scheme:light}', light.toString());
  } else if (scheme === 'DARK') {
    parts.push(':root{color-scheme:dark}', dark.toString());
  } else {
    parts.push(':root{color-scheme:light dark}', light.toString());
    if (dark.size) parts.push(`@media (prefers-color-scheme: dark){\n${dark.toString()}\n}`);
  }
  return `${parts.filter((p) => p !== '').join('\n')}\n`;
}

// ---- assets ----

export type AssetName = 'form-logo' | 'page-background' | 'favicon';
const CATEGORY: Record<AssetName, string> = { 'form-logo': 'FORM_LOGO', 'page-background': 'PAGE_BACKGROUND', favicon: 'FAVICON_ICO' };

/** The image types served, by Extension; SVG only with a CSP forbidding everything (route). */
export const ASSET_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

/** The asset of a category for a mode: that mode's, else the browser-adaptive (DYNAMIC) one. */
export function assetFor(b: ManagedLoginBranding, name: AssetName, mode: 'LIGHT' | 'DARK'): BrandingAsset | null {
  const usable = b.assets.filter(
    (a) => a.Category === CATEGORY[name] && a.Bytes && ASSET_TYPES[a.Extension.toLowerCase()] && (name !== 'favicon' || a.Extension.toUpperCase() === 'ICO'),
  );
  return usable.find((a) => a.ColorMode === mode) ?? usable.find((a) => a.ColorMode === 'DYNAMIC') ?? null;
}

/** The same-origin path an asset is served at (the route finds it again from the path). */
export function assetPath(b: ManagedLoginBranding, name: AssetName, a: BrandingAsset): string {
  const file = `${name}.${a.ColorMode.toLowerCase()}.${a.Extension.toLowerCase()}`;
  return `/hosted-ui/branding/${encodeURIComponent(b.clientId)}/${file}?v=${b.updatedAt}`;
}

/** The asset a path names: `<name>.<light|dark|dynamic>.<ext>`. */
export function assetNamed(b: ManagedLoginBranding, file: string): BrandingAsset | null {
  const m = /^(form-logo|page-background|favicon)\.(light|dark|dynamic)\.(png|jpeg|webp|svg|ico)$/.exec(file);
  if (!m) return null;
  const [, name, mode, ext] = m as unknown as [string, AssetName, string, string];
  return (
    b.assets.find((a) => a.Category === CATEGORY[name] && a.ColorMode.toLowerCase() === mode && a.Extension.toLowerCase() === ext && a.Bytes !== undefined) ??
    null
  );
}

/** Whether a setting switches a feature off explicitly (absent: on when its asset is there). */
export const disabled = (settings: Record<string, unknown> | null, ...path: string[]): boolean => at(settings, ...path) === false;

/** components.favicon.enabledTypes, when given, must list ICO for FAVICON_ICO to be used. */
export function faviconIcoEnabled(settings: Record<string, unknown> | null): boolean {
  const types = at(settings, 'components', 'favicon', 'enabledTypes');
  return !Array.isArray(types) || types.includes('ICO');
}
