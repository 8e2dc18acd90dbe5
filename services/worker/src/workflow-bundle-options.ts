import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { payloadConverterPath } from '@continuum/temporal';

const workspaceRoot = resolve(__dirname, '../../..');

/** The workflow entry point: every journey workflow of the workspace, and conversations. */
export const workflowsPath = join(__dirname, 'workflows.ts');

/**
 * OpenTelemetry workflow interceptors: in the worker's bundle only while tracing is on. With tracing
 * off they would still make a span (and its promises, each with a captured stack) around every
 * activity, signal and run, to be discarded — a sixth of the workflow thread's time in the `waiting`
 * benchmark's profile. They leave history untouched, so either bundle replays any instance.
 */
export const workflowTracingModule = join(__dirname, 'workflow-tracing.ts');

/** The traced sibling of a prebuilt bundle, which `npm run bundle:workflows` writes beside it: `x.js` → `x.traced.js`. */
export function tracedBundlePath(path: string): string {
  return path.endsWith('.js') ? `${path.slice(0, -'.js'.length)}.traced.js` : `${path}.traced.js`;
}

/**
 * Webpack resolves the workspace's `@continuum/*` path aliases the way tsconfig does. `traced`: with
 * the tracing interceptors (`workflowTracingModule`), as a worker with tracing on loads them.
 */
export function workflowBundleOptions(
  options: { traced?: boolean } = {},
): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook' | 'payloadConverterPath' | 'failureConverterPath' | 'workflowInterceptorModules'> {
  const tsconfig = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const alias = Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, join(workspaceRoot, target!)]),
  );
  return {
    workflowsPath,
    // The workflow side of the data converter: payloads marked with their owner (payload-owner.ts).
    payloadConverterPath,
    failureConverterPath: payloadConverterPath,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as Record<string, string>), ...alias } },
    }),
    ...(options.traced ? { workflowInterceptorModules: [workflowTracingModule] } : {}),
  };
}
