import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowBundleOptions } from '@continuum/worker';

// Recorded histories of every journey (workflows/journeys/histories, `npm run histories:record`)
// must replay against the current code: a change that would break running instances fails here.
const HISTORIES = join(__dirname, '..', 'histories');
const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.history.pb'));
const load = (file: string) => temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, file)));

async function bundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ ...workflowBundleOptions(), workflowsPath, logger: new DefaultLogger('WARN') });
}

describe('replay of recorded journey histories', () => {
  let current: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    current = await bundle(join(__dirname, 'index.ts'));
  });

  it('has a recorded history for every journey', () => {
    for (const journey of ['abandoned-cart', 'appointment-confirmation', 'credit-card-application', 'onboarding', 'order-points', 'return-follow-up']) {
      expect(files.some((file) => file.startsWith(journey))).toBe(true);
    }
  });

  it.each(files)('replays %s with the current code', async (file) => {
    await expect(Worker.runReplayHistory({ workflowBundle: current, replayName: file }, load(file))).resolves.toBeUndefined();
  });

  it('fails for an incompatible change and passes for the same change behind patched()', async () => {
    const history = load('abandoned-cart-three-updates.history.pb');
    const careless = await bundle(join(__dirname, 'test-support/changed-without-patch.ts'));
    await expect(Worker.runReplayHistory({ workflowBundle: careless, replayName: 'careless' }, history)).rejects.toThrow(/[Nn]ondetermin/);
    const patched = await bundle(join(__dirname, 'test-support/changed-with-patch.ts'));
    await expect(Worker.runReplayHistory({ workflowBundle: patched, replayName: 'patched' }, history)).resolves.toBeUndefined();
  });
});
