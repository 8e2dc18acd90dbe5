import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs the slowest test files first (by their duration in Vitest's results cache), so that a long
 * file does not start last and leave the other workers idle while it finishes. Files the cache does
 * not know yet come first, larger ones before smaller ones.
 */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const keyOf = (spec: TestSpecification) => `${spec.project.name}:${relative(config.root, spec.moduleId)}`;
    const weight = new Map(
      files.map((spec) => {
        const duration = cache.getFileTestResults(keyOf(spec))?.duration;
        // Unknown files rank above every known duration, by size among themselves.
        return [spec, duration ?? Number.MAX_SAFE_INTEGER / 2 + (cache.getFileStats(keyOf(spec))?.size ?? 0)] as const;
      }),
    );
    return [...files].sort((a, b) => weight.get(b)! - weight.get(a)!);
  }
}
