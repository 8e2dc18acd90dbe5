import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each slow file took in a full run (workspace-relative path → seconds), for a fresh clone
 * whose Vitest cache is empty. Regenerate from `reports/vitest.json` when the slow files change.
 */
function durationHints(): Map<string, number> {
  const hints = JSON.parse(readFileSync(join(__dirname, 'test-durations.json'), 'utf8')) as Record<string, number>;
  return new Map(Object.entries(hints).map(([path, seconds]) => [path, seconds * 1000]));
}

/**
 * Runs the slowest test files first, so that a long file does not start last and leave the other
 * workers idle while it finishes: by their duration in Vitest's results cache, else the committed
 * hints (a fresh clone), else by size.
 */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const hints = durationHints();
    const keyOf = (spec: TestSpecification) => `${spec.project.name}:${relative(config.root, spec.moduleId)}`;
    const weight = new Map(
      files.map((spec) => {
        const duration = cache.getFileTestResults(keyOf(spec))?.duration ?? hints.get(relative(config.root, spec.moduleId));
        // A file neither the cache nor the hints know took under 5 s in the last full run (the hints
        // list every slower one), or is new: it ranks after the known slow ones, larger files first.
        return [spec, duration ?? (cache.getFileStats(keyOf(spec))?.size ?? 0) / 10_000] as const;
      }),
    );
    return [...files].sort((a, b) => weight.get(b)! - weight.get(a)!);
  }
}
