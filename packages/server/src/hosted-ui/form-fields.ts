import type { TFunction } from 'i18next';
import type { PasswordPolicy, Pool } from '../domain/pool-settings.ts';
import { html, type Html } from './html.ts';

// The fields the sign-up and recovery forms are built from: the username as
// the pool signs users in (a name, or the email address or phone number
// when UsernameAttributes makes that the username), every Required schema
// attribute, and the pool's password policy in words.

export interface Field {
  /** The form field's name: `username`, or `attribute:<schema name>`. */
  name: string;
  label: string;
  type: 'text' | 'email' | 'tel' | 'url' | 'date';
  autocomplete: string;
  inputmode?: 'numeric';
  /** A hint under the label, such as the phone number format. */
  hint?: string;
}

export const ATTRIBUTE_PREFIX = 'attribute:';

/** The username field as the pool's UsernameAttributes shape it (developer guide, "User pool attributes": sign-in options). */
export function usernameField(pool: Pool, t: TFunction): Field {
  const by = pool.settings.UsernameAttributes ?? [];
  const email = by.includes('email');
  const phone = by.includes('phone_number');
  if (email && phone) return { name: 'username', label: t('field.emailOrPhone'), type: 'text', autocomplete: 'username' };
  if (email) return { name: 'username', label: t('field.email'), type: 'email', autocomplete: 'username' };
  if (phone) return { name: 'username', label: t('field.phone'), type: 'tel', autocomplete: 'username', hint: t('field.phoneHint') };
  return { name: 'username', label: t('field.username'), type: 'text', autocomplete: 'username' };
}

// Input type and autocomplete token (HTML standard, "Autofill") per standard attribute.
const STANDARD: Record<string, Pick<Field, 'type' | 'autocomplete'>> = {
  email: { type: 'email', autocomplete: 'email' },
  phone_number: { type: 'tel', autocomplete: 'tel' },
  name: { type: 'text', autocomplete: 'name' },
  given_name: { type: 'text', autocomplete: 'given-name' },
  family_name: { type: 'text', autocomplete: 'family-name' },
  middle_name: { type: 'text', autocomplete: 'additional-name' },
  nickname: { type: 'text', autocomplete: 'nickname' },
  preferred_username: { type: 'text', autocomplete: 'nickname' },
  birthdate: { type: 'date', autocomplete: 'bday' },
  address: { type: 'text', autocomplete: 'street-address' },
  gender: { type: 'text', autocomplete: 'sex' },
  locale: { type: 'text', autocomplete: 'language' },
  website: { type: 'url', autocomplete: 'url' },
  profile: { type: 'url', autocomplete: 'url' },
  picture: { type: 'url', autocomplete: 'photo' },
  zoneinfo: { type: 'text', autocomplete: 'off' },
};

/**
 * Every Required attribute of the pool's schema but `sub` (Cognito makes it)
 * and the one the username already is (email or phone as the only
 * username attribute: SignUp sets it from the username).
 */
export function requiredAttributeFields(pool: Pool, t: TFunction): Field[] {
  const by = pool.settings.UsernameAttributes ?? [];
  const fromUsername = by.length === 1 ? by[0] : undefined;
  return (pool.settings.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name && a.Name !== 'sub' && a.Name !== fromUsername)
    .map((a) => {
      const name = a.Name ?? '';
      const standard = STANDARD[name];
      if (standard) {
        return {
          name: `${ATTRIBUTE_PREFIX}${name}`,
          label: t(`attribute.${name}`),
          ...standard,
          ...(name === 'phone_number' ? { hint: t('field.phoneHint') } : {}),
        };
      }
      const bare = name.replace(/^(dev:)?custom:/, '');
      return {
        name: `${ATTRIBUTE_PREFIX}${name}`,
        label: bare,
        type: 'text' as const,
        autocomplete: 'off',
        ...(a.AttributeDataType === 'Number' ? { inputmode: 'numeric' as const } : {}),
      };
    });
}

/** A labelled input; its hint, if any, tied to it by aria-describedby. */
export function input(field: Field, value: string, describedBy: string | null = null): Html {
  const id = field.name.replace(/[^A-Za-z0-9_-]/g, '-');
  const hintId = field.hint ? `${id}-hint` : null;
  const described = [hintId, describedBy].filter((x): x is string => x !== null).join(' ');
  return html`<label class="label-customizable" for="${id}">${field.label}</label>${field.hint ? html`<p class="hint" id="${hintId}">${field.hint}</p>` : null}<input class="inputField-customizable" type="${field.type}" id="${id}" name="${field.name}" value="${value}" autocomplete="${field.autocomplete}"${field.inputmode ? html` inputmode="${field.inputmode}"` : null}${described ? html` aria-describedby="${described}"` : null}${field.type === 'text' || field.type === 'email' ? html` autocapitalize="none" spellcheck="false"` : null} required>`;
}

/** A new password's field, the pool's policy in words above it. */
export function passwordField(t: TFunction, policy: PasswordPolicy, name: string, label: string): Html {
  return html`<label class="label-customizable" for="${name}">${label}</label>${passwordRules(t, policy, `${name}-rules`)}<input class="inputField-customizable" type="password" id="${name}" name="${name}" autocomplete="new-password" aria-describedby="${name}-rules" required>`;
}

/** The password policy in words (PasswordPolicyType: MinimumLength, RequireLowercase, …), as a list a password field points at. */
export function passwordRules(t: TFunction, policy: PasswordPolicy, id: string): Html {
  const rules = [t('policy.minLength', { count: policy.MinimumLength ?? 8 })];
  if (policy.RequireLowercase) rules.push(t('policy.lowercase'));
  if (policy.RequireUppercase) rules.push(t('policy.uppercase'));
  if (policy.RequireNumbers) rules.push(t('policy.numbers'));
  if (policy.RequireSymbols) rules.push(t('policy.symbols'));
  return html`<div class="rules" id="${id}"><p>${t('policy.intro')}</p><ul>${rules.map((r) => html`<li>${r}</li>`)}</ul></div>`;
}

// The rule named in InvalidPasswordException's message (domain/password-policy.ts), as a catalog key.
const RULE_KEYS: [string, string][] = [
  ['not long enough', 'policy.tooShort'],
  ['length less than', 'policy.tooLong'],
  ['lowercase', 'policy.needsLowercase'],
  ['uppercase', 'policy.needsUppercase'],
  ['numeric', 'policy.needsNumber'],
  ['symbol', 'policy.needsSymbol'],
  ['username', 'policy.noUsername'],
  ['email', 'policy.noEmail'],
  ['pool name', 'policy.noPoolName'],
  ['too common', 'policy.tooCommon'],
];

/** What a refused password broke, in the user's language. */
export function passwordProblemText(t: TFunction, message: string): string {
  const key = RULE_KEYS.find(([words]) => message.includes(words))?.[1];
  return key ? `${t('problem.badPassword')} ${t(key)}` : t('problem.badPassword');
}
