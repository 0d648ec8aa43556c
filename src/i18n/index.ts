import i18next, { type TFunction } from 'i18next';
import { messages } from './messages.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const instance = i18next.createInstance();
await instance.init({
  resources: { en: { translation: messages.en }, 'zh-CN': { translation: messages['zh-CN'] } },
  lng: DEFAULT_LOCALE,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  initImmediate: false,
  showSupportNotice: false,
} as never);

const fixed: Record<Locale, TFunction> = {
  'zh-CN': instance.getFixedT('zh-CN'),
  en: instance.getFixedT('en'),
};

const TRANSLATED_PARAMS = ['entity', 'channel'] as const;

/** Translates a message key; returns undefined when the key is unknown. */
export function translate(locale: Locale, key: string, params: Record<string, unknown> = {}): string | undefined {
  if (!instance.exists(key, { lng: locale })) return undefined;
  // Coded words inside messages ("person 42 was not found", "no phone") are translated too.
  const words = Object.fromEntries(
    TRANSLATED_PARAMS.filter((p) => typeof params[p] === 'string' && instance.exists(`${p}.${params[p]}`)).map((p) => [p, fixed[locale](`${p}.${params[p]}`)]),
  );
  return String(fixed[locale](key, { ...params, ...words } as never));
}

/**
 * Picks zh-CN or en from an Accept-Language header: the first language we have wins, by q-value;
 * no header means Chinese (our first users).
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return DEFAULT_LOCALE;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en';
}
