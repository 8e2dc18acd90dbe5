import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplateLocalId, templateLocalId, versionLocalId } from './templates.service';

const name = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,99}$/);
const locale = fc.oneof(fc.constant('default'), fc.stringMatching(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/));

describe('template local ids', () => {
  it('round-trip (name, locale) and (name, locale, version), and never confuse the two', () => {
    fc.assert(
      fc.property(name, locale, fc.integer({ min: 1, max: 999_999_999 }), (n, l, v) => {
        expect(parseTemplateLocalId(templateLocalId({ name: n, locale: l }))).toEqual({ name: n, locale: l });
        expect(parseTemplateLocalId(versionLocalId({ name: n, locale: l, version: v }))).toEqual({ name: n, locale: l, version: v });
      }),
    );
  });

  it('refuse anything else without throwing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseTemplateLocalId(text);
        if (parsed) expect(parsed.version === undefined ? templateLocalId(parsed) : versionLocalId({ ...parsed, version: parsed.version })).toBe(text);
      }),
    );
    for (const bad of ['', 'welcome', ':pt', 'welcome:', 'welcome:pt:0', 'welcome:pt:01', 'welcome:pt:x', 'a:b:1:2']) expect(parseTemplateLocalId(bad)).toBeUndefined();
  });
});
