import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { likeLiteral } from './profile-store';

/** PostgreSQL's `LIKE pattern ESCAPE '\'`, as a regular expression: `%` any run, `_` one character, `\x` the character x. */
function likeMatches(pattern: string, text: string): boolean {
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) source += escapeRegExp(chars[++i]!);
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'u').test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

describe('likeLiteral', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '%', '_', '\\', 'é', '.', '*'), maxLength: 8 });

  it('makes a prefix pattern that matches exactly the texts starting with the prefix (%, _ and \\ literal)', () => {
    fc.assert(
      fc.property(text, text, (prefix, candidate) => {
        expect(likeMatches(`${likeLiteral(prefix)}%`, candidate)).toBe(candidate.startsWith(prefix));
        expect(likeMatches(`${likeLiteral(prefix)}%`, `${prefix}${candidate}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
