import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every relative link in README.md and docs/ must reach a file of the repository and, with a
// #fragment into a Markdown file, one of its headings: the docs are read on GitHub and in clones.

const root = resolve(__dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  );
}

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(text: string): string {
  return text
    .split(/^```.*$/m)
    .filter((_, index) => index % 2 === 0)
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(text.replace(/`/g, '')).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = heading!.toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

export function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const problems: string[] = [];
  for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(target!)) continue; // https:, mailto:, …
    const [path, fragment] = target!.split('#', 2) as [string, string | undefined];
    const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const shown = `${relative(root, file)}: ${target}`;
    if (relative(root, resolved).startsWith(`..${sep}`)) problems.push(`${shown} leaves the repository`);
    else if (!existsSync(resolved)) problems.push(`${shown} names no file`);
    else if (fragment && statSync(resolved).isFile() && resolved.endsWith('.md') && !headingAnchors(readFileSync(resolved, 'utf8')).has(fragment)) {
      problems.push(`${shown} names no heading of ${relative(root, resolved)}`);
    }
  }
  return problems;
}

describe('documentation links', () => {
  const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

  it.each(files.map((file) => [relative(root, file), file]))('%s: every relative link resolves', (_name, file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it('computes anchors the way GitHub does', () => {
    expect([...headingAnchors('# `defineJourney` options\n## Fair load: bulk work never starves a live customer\n## A\n## A\n')]).toEqual([
      'definejourney-options',
      'fair-load-bulk-work-never-starves-a-live-customer',
      'a',
      'a-1',
    ]);
  });
});
