import { JOURNEY_SEARCH_ATTRIBUTES } from '@continuum/contracts';

export { CustomerIdKey, InstanceKeyKey, JourneyIdKey, JourneyStatusKey, JourneyStepKey } from '@continuum/contracts';

/** `--search-attribute` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(): string[] {
  return JOURNEY_SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]);
}
