import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, workerCacheSizeOf, workerConfigSchema } from './index';

// WORKER_MAX_CACHED_WORKFLOWS (docs/configuration.md): checked alone and against the task slots.
const schema = workerConfigSchema.pick({ WORKER_MAX_CACHED_WORKFLOWS: true, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: true });
const load = (env: Record<string, string | undefined>) => loadConfig('worker', schema, env);

describe('WORKER_MAX_CACHED_WORKFLOWS', () => {
  it('any text either loads as a whole number from 2 to 100,000 that the slots fit in, or is a ConfigError naming the variable', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.integer({ min: -1_000, max: 200_000 }).map(String),
      fc.constantFrom('1e3', '2.5', '0x10', ' 12 ', '-0', 'Infinity', 'NaN', '12\u0000', '\ud800', '9'.repeat(400), 'x'.repeat(100_000)),
    );
    fc.assert(
      fc.property(text, (value) => {
        let cached: number;
        try {
          cached = workerCacheSizeOf(load({ WORKER_MAX_CACHED_WORKFLOWS: value }));
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const issue of (error as ConfigError).issues) expect(issue).toMatch(/^WORKER_MAX_CACHED_WORKFLOWS: /);
          return;
        }
        expect(Number.isInteger(cached)).toBe(true);
        expect(cached).toBeGreaterThanOrEqual(10);
        expect(cached).toBeLessThanOrEqual(100_000);
      }),
      { numRuns: 500 },
    );
  });

  it('defaults to 1,000 and refuses a cache below the task slots, naming both', () => {
    expect(workerCacheSizeOf(load({}))).toBe(1000);
    expect(workerCacheSizeOf(load({ WORKER_MAX_CACHED_WORKFLOWS: '10' }))).toBe(10);
    expect(() => workerCacheSizeOf(load({ WORKER_MAX_CACHED_WORKFLOWS: '9' }))).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS: must be at least WORKER_MAX_CONCURRENT_WORKFLOW_TASKS \(10\), got 9/,
    );
    expect(() => load({ WORKER_MAX_CACHED_WORKFLOWS: '100001' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});
