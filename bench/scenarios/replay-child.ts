/**
 * One round of the `replay` scenario (bench/scenarios/replay.ts), in a process of its own:
 * `replay-child.ts <bundle.js> <history.pb> <count>` replays the history `count` times after a warm-up
 * of 20 and prints {"cpuMsPerReplay": …} as its last line. WORKFLOW_STACK_TRACES comes from its environment.
 */
import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const [bundlePath, historyFile, countText] = process.argv.slice(2);
  if (!bundlePath || !historyFile || !countText) throw new Error('usage: replay-child.ts <bundle.js> <history.pb> <count>');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const history = temporal.api.history.v1.History.decode(readFileSync(historyFile));
  const replayAll = async (count: number, prefix: string) => {
    async function* histories() {
      for (let i = 0; i < count; i++) yield { workflowId: `${prefix}-${i}`, history };
    }
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, replayName: 'bench-replay' }, histories())) {
      if (result.error) throw result.error;
    }
  };
  await replayAll(20, 'warm');
  const count = Number(countText);
  const cpu = process.cpuUsage();
  await replayAll(count, 'measured');
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ cpuMsPerReplay: (used.user + used.system) / 1000 / count }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
