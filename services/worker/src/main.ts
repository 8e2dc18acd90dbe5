import { loadConfig, workerConfigSchema } from '@continuum/config';
import { createJourneyWorker } from './journey-worker';

async function main(): Promise<void> {
  const config = loadConfig('worker', workerConfigSchema);
  const { worker, run } = await createJourneyWorker(config);
  console.log(
    JSON.stringify({ level: 'info', msg: 'worker started', taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, pid: process.pid }),
  );
  // The SDK's runtime stops polling on SIGINT/SIGTERM, lets running tasks finish, then run() resolves.
  await run();
  console.log(JSON.stringify({ level: 'info', msg: 'worker stopped', state: worker.getState() }));
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', msg: 'worker failed', error: (error as Error).message }));
  process.exit(1);
});
