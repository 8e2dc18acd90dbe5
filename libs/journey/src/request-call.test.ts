import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { journalUrl } from './request-call';

describe('journalUrl', () => {
  it('never shows credentials, a query or a fragment, whatever the URL', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.stringMatching(/^[a-z0-9]{1,12}$/),
        fc.stringMatching(/^[A-Za-z0-9]{6,16}$/),
        (url, user, password) => {
          const withCredentials = url.replace('://', `://${user}:SECRET${password}@`);
          const shown = journalUrl(withCredentials);
          expect(shown).not.toContain(`SECRET${password}`);
          expect(shown).not.toContain('#');
          const query = url.indexOf('?');
          if (query !== -1) expect(shown.endsWith('?…')).toBe(true);
        },
      ),
    );
  });

  it('keeps the origin and path as written', () => {
    expect(journalUrl('https://partner.example.com/v1/estimates?token=abc#x')).toBe('https://partner.example.com/v1/estimates?…');
    expect(journalUrl('http://u:p@10.0.0.1:8080/a')).toBe('http://10.0.0.1:8080/a');
    expect(journalUrl('https://x.test/a')).toBe('https://x.test/a');
  });
});
