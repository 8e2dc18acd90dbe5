import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowBundleOptions } from '@continuum/worker';

// Recorded broadcast histories (workflows/broadcasts/histories; `RECORD_HISTORIES=1 npm run cost`
// records the price scenario's) must replay against the current code: a change that would break
// running broadcasts fails here.
const HISTORIES = join(__dirname, '..', 'histories');
const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.history.pb'));
const load = (file: string) => temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, file)));

describe('replay of recorded broadcast histories', () => {
  let current: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    current = await bundleWorkflowCode({ ...workflowBundleOptions(), workflowsPath: join(__dirname, 'index.ts'), logger: new DefaultLogger('WARN') });
  });

  it('has a run recorded before the last short page ended the audience (it read an empty page after it)', () => {
    expect(files).toContain('broadcast-one-member-empty-last-page.history.pb');
  });

  it.each(files)('replays %s with the current code', async (file) => {
    await expect(Worker.runReplayHistory({ workflowBundle: current, replayName: file }, load(file))).resolves.toBeUndefined();
  });
});
