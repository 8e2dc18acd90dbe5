import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldPath } from '../common/user-error';
import { settingsField } from './journeys.service';

describe('settingsField', () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,30}$/);

  it('names the one bad setting as a path under input.settings', () => {
    fc.assert(
      fc.property(name, fc.string(), (setting, problem) => {
        expect(fieldPath(settingsField([`${setting}: ${problem}`]))).toEqual(['input', 'settings', setting]);
      }),
    );
  });

  it('names input.settings when several settings are bad, or the name is not a plain key', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 2, maxLength: 5 }), (problems) => {
        expect(settingsField(problems)).toBe('settings');
      }),
    );
    fc.assert(
      fc.property(fc.string().filter((text) => !/^[A-Za-z_][A-Za-z0-9_]*:/.test(text)), (problem) => {
        expect(settingsField([problem])).toBe('settings');
      }),
    );
  });
});
