import { normaliseLocale } from '@continuum/domain';

/** The locale of the version used when no locale-specific one matches. */
export const DEFAULT_LOCALE = 'default';

/** `default`, or a BCP 47 locale normalised (`pt_br` → `pt-BR`); throws on anything else. */
export function normaliseTemplateLocale(locale: string): string {
  return locale.trim().toLowerCase() === DEFAULT_LOCALE ? DEFAULT_LOCALE : normaliseLocale(locale);
}

/**
 * The locales to try, most specific first, ending with `default`: `pt-BR` → `pt-BR`, `pt`,
 * `default`; `zh-Hant-TW` → `zh-Hant-TW`, `zh-Hant`, `zh`, `default`. A missing or malformed
 * locale tries `default` only (a bad profile value must not stop a message).
 */
export function localeFallbackChain(locale: string | null | undefined): string[] {
  let normalised: string;
  try {
    normalised = locale ? normaliseTemplateLocale(locale) : DEFAULT_LOCALE;
  } catch {
    return [DEFAULT_LOCALE];
  }
  const chain: string[] = [];
  const parts = normalised === DEFAULT_LOCALE ? [] : normalised.split('-');
  for (let length = parts.length; length > 0; length--) chain.push(parts.slice(0, length).join('-'));
  chain.push(DEFAULT_LOCALE);
  return chain;
}
