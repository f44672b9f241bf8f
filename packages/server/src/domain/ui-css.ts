import { Errors } from '../errors/cognito-error.ts';

// The classic hosted UI's CSS from SetUICustomization. Cognito takes rules
// for a closed list of class names only, and no @import, @supports, @page or
// @media statements, HTML or JavaScript (developer guide, "Customizing
// hosted UI (classic) branding"; its 2017 edition: "Property values cannot
// contain HTML, @import, ... statements or Javascript").
//
// The stylesheet is served same-origin to the sign-in pages, so besides
// Cognito's rules nothing in it may make the browser fetch anything: a
// url() (or image-set() and kin) could fire same-origin requests such as
// GET /logout, or, behind an attribute selector, leak form values one
// request per guess. Hence: no resource-loading function, no at-rule, no
// backslash escape (which could spell any of them), and only
// `.class { declarations }` rules for the listed classes, without nesting.
// Properties are not checked: Cognito's template itself uses some beyond the
// guide's table, and the console says unknown ones are ignored rather than
// refused. Cognito's messages for these are not documented: the wording is
// ours (unconfirmed), InvalidParameterException as for its other checks.

/** The selectors Cognito allows, as the developer guide lists them. */
export const CUSTOMIZABLE_SELECTORS: ReadonlySet<string> = new Set(
  [
    'background-customizable',
    'banner-customizable',
    'errorMessage-customizable',
    'idpButton-customizable',
    'idpButton-customizable:hover',
    'idpDescription-customizable',
    'inputField-customizable',
    'inputField-customizable:focus',
    'label-customizable',
    'legalText-customizable',
    'logo-customizable',
    'passwordCheck-valid-customizable',
    'passwordCheck-notValid-customizable',
    'redirect-customizable',
    'socialButton-customizable',
    'submitButton-customizable',
    'submitButton-customizable:hover',
    'textDescription-customizable',
  ].map((s) => `.${s}`),
);

/** CSS functions that fetch a resource (or, expression(), run script in old IE). */
const FETCHING_FUNCTION = /(?:^|[^a-z0-9_-])((?:-[a-z]+-)?(?:url|image-set|image|cross-fade|element|src|expression))\s*\(/i;

const invalid = (why: string) => Errors.InvalidParameter(`The CSS is not allowed: ${why}.`);

/** Whether stored CSS passes today's check (rows written before it existed may not): the pages link none that fails. */
export function isAllowedUiCss(css: string): boolean {
  try {
    checkUiCss(css);
    return true;
  } catch {
    return false;
  }
}

export function checkUiCss(css: string): void {
  if (css.includes('\\')) throw invalid('it contains a backslash escape');
  // Comments are dropped before the rest is read, so none can split a word
  // (url/**/( reads as url(); one left open runs to the end, as in a browser.
  const bare = css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ' ');
  const fetching = FETCHING_FUNCTION.exec(bare);
  if (fetching) throw invalid(`it contains ${fetching[1]?.toLowerCase()}(), which would load a resource`);
  const atRule = /@[a-z-]*/i.exec(bare);
  if (atRule) throw invalid(`it contains the at-rule ${atRule[0]} (@import, @media and other at-rules are not allowed)`);
  let rest = bare;
  for (;;) {
    rest = rest.trimStart();
    if (rest === '') return;
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (open === -1 || (close !== -1 && close < open)) throw invalid('it is not a list of rules of the form .class { declarations }');
    for (const selector of rest.slice(0, open).split(',')) {
      const s = selector.trim();
      if (!CUSTOMIZABLE_SELECTORS.has(s)) {
        throw invalid(
          `the selector "${s}" is not one of the customizable classes (.background-customizable, .submitButton-customizable and the others the developer guide lists)`,
        );
      }
    }
    const end = rest.indexOf('}', open);
    const nested = rest.indexOf('{', open + 1);
    if (end === -1) throw invalid('a rule is not closed with }');
    if (nested !== -1 && nested < end) throw invalid('rules cannot be nested');
    rest = rest.slice(end + 1);
  }
}
