import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { tracedBundlePath, workflowBundleOptions } from './workflow-bundle-options';

/**
 * Writes the prebuilt workflow bundles production workers load (`WORKFLOW_BUNDLE_PATH`): the bundle
 * itself, and beside it the one with the tracing interceptors (`<name>.traced.js`), which a worker
 * with `TRACES_EXPORTER` set loads instead.
 */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  mkdirSync(dirname(target), { recursive: true });
  for (const [file, traced] of [[target, false], [tracedBundlePath(target), true]] as const) {
    const { code } = await bundleWorkflowCode(workflowBundleOptions({ traced }));
    writeFileSync(file, code);
    console.log(`workflow bundle${traced ? ' with tracing' : ''} written to ${file} (${(code.length / 1024).toFixed(0)} KiB)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
