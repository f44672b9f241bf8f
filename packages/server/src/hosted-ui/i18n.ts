import i18next, { type TFunction } from 'i18next';
import { en } from './catalogs/en.ts';
import { fr } from './catalogs/fr.ts';

// The pages' text from message catalogs (catalogs/), one per language,
// chosen by the `lang` parameter as Cognito's managed login does (developer
// guide, "Managed login": `lang`, English by default).

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const i18n = i18next.createInstance();
// initAsync false: the resources are given, so init completes before it returns.
void i18n.init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  // The pages escape every value themselves (html.ts).
  interpolation: { escapeValue: false },
});

/** A supported language from a `lang` value, else null. */
export function languageOf(value: string | undefined): Language | null {
  if (!value) return null;
  const base = value.toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l === base) ?? null;
}

export const textFor = (lang: Language): TFunction => i18n.getFixedT(lang);
