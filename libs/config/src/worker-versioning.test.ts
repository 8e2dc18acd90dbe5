import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, workerConfigSchema, workerDeploymentVersionOf } from './index';

// Worker versioning settings (docs/operating.md, "Rolling upgrades"): checked alone, without the
// rest of the worker's configuration.
const schema = workerConfigSchema.pick({ WORKER_DEPLOYMENT_NAME: true, WORKER_BUILD_ID: true });
const load = (env: Record<string, string | undefined>) => loadConfig('worker', schema, env);

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** Any text, and text close to a valid name or build id (often valid, sometimes with "." or ":" or too long). */
const text = fc.oneof(fc.string({ maxLength: 120 }), fc.stringMatching(/^ ?[A-Za-z0-9][A-Za-z0-9._:+-]{0,104} ?$/));

describe('worker versioning settings', () => {
  it('unset or empty: unversioned', () => {
    expect(workerDeploymentVersionOf(load({}))).toBeUndefined();
    expect(workerDeploymentVersionOf(load({ WORKER_DEPLOYMENT_NAME: ' ', WORKER_BUILD_ID: '' }))).toBeUndefined();
  });

  it('both set: the deployment version the worker polls as', () => {
    expect(workerDeploymentVersionOf(load({ WORKER_DEPLOYMENT_NAME: 'continuum', WORKER_BUILD_ID: '2026-12-05.1+abc' }))).toEqual({
      deploymentName: 'continuum',
      buildId: '2026-12-05.1+abc',
    });
  });

  it('one without the other names the missing one', () => {
    expect(configErrorOf(() => workerDeploymentVersionOf(load({ WORKER_BUILD_ID: 'b1' }))).issues).toEqual([
      expect.stringMatching(/^WORKER_DEPLOYMENT_NAME: must be set when WORKER_BUILD_ID is/),
    ]);
    expect(configErrorOf(() => workerDeploymentVersionOf(load({ WORKER_DEPLOYMENT_NAME: 'continuum' }))).issues).toEqual([
      expect.stringMatching(/^WORKER_BUILD_ID: must be set when WORKER_DEPLOYMENT_NAME is/),
    ]);
  });

  it('refuses what Temporal refuses or cannot show: "." or ":" in the deployment name, spaces, over 100 characters', () => {
    const issues = configErrorOf(() => load({ WORKER_DEPLOYMENT_NAME: 'con.tinuum', WORKER_BUILD_ID: 'has space' })).issues;
    expect(issues).toEqual([expect.stringMatching(/^WORKER_DEPLOYMENT_NAME: must be letters/), expect.stringMatching(/^WORKER_BUILD_ID: must be letters/)]);
    expect(configErrorOf(() => load({ WORKER_DEPLOYMENT_NAME: 'a:b' })).issues).toEqual([expect.stringMatching(/^WORKER_DEPLOYMENT_NAME:/)]);
    expect(configErrorOf(() => load({ WORKER_BUILD_ID: 'x'.repeat(101) })).issues).toEqual([expect.stringMatching(/^WORKER_BUILD_ID:/)]);
  });

  it('any text either loads as itself (trimmed, no "." or ":" in the name, at most 100 characters) or is a ConfigError naming the variable', () => {
    fc.assert(
      fc.property(text, text, (name, build) => {
        let loaded;
        try {
          loaded = load({ WORKER_DEPLOYMENT_NAME: name, WORKER_BUILD_ID: build });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const issue of (error as ConfigError).issues) expect(issue).toMatch(/^WORKER_(DEPLOYMENT_NAME|BUILD_ID): /);
          return;
        }
        for (const [given, value] of [
          [name, loaded.WORKER_DEPLOYMENT_NAME],
          [build, loaded.WORKER_BUILD_ID],
        ] as const) {
          if (given.trim() === '') expect(value).toBeUndefined();
          else {
            expect(value).toBe(given.trim());
            expect(value!.length).toBeLessThanOrEqual(100);
            expect(value).toMatch(/^[\x21-\x7e]+$/);
          }
        }
        expect(loaded.WORKER_DEPLOYMENT_NAME ?? '').not.toMatch(/[.:]/);
      }),
      { numRuns: 500 },
    );
  });
});
