import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { payloadConverterPath } from '@continuum/temporal';

const workspaceRoot = resolve(__dirname, '../../..');

/** The workflow entry point: every journey workflow of the workspace, and conversations. */
export const workflowsPath = join(__dirname, 'workflows.ts');

/** OpenTelemetry workflow interceptors, in the worker's bundles (tracing on or off: see journey-worker). */
export const workflowTracingModule = join(__dirname, 'workflow-tracing.ts');

/** Webpack resolves the workspace's `@continuum/*` path aliases the way tsconfig does. */
export function workflowBundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook' | 'payloadConverterPath' | 'failureConverterPath'> {
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
  };
}
