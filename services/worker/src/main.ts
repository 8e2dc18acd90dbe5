import { Runtime } from '@temporalio/worker';
import { loadConfig, workerConfigSchema } from '@continuum/config';
import { installConfiguredTracing } from '@continuum/temporal';
import { createJourneyWorker } from './journey-worker';
import { createJsonLogger } from './observability/json-logger';
import { freeLoopbackPort, scrapeSdkMetrics } from './observability/sdk-metrics';
import { startWorkerHttpServer } from './observability/worker-http-server';
import { WorkerMetrics } from './observability/worker-metrics';

async function main(): Promise<void> {
  const config = loadConfig('worker', workerConfigSchema);
  const logger = createJsonLogger(config.LOG_LEVEL);
  const sdkMetricsAddress = config.TEMPORAL_SDK_METRICS_ADDRESS ?? `127.0.0.1:${await freeLoopbackPort()}`;
  // Once per process, before any connection or worker: SDK, workflow and activity logs become JSON
  // lines (core's own logs forwarded to the same logger), and the SDK exports its metrics.
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      metrics: { prometheus: { bindAddress: sdkMetricsAddress, useSecondsForDurations: true } },
    },
  });
  const tracing = installConfiguredTracing('continuum-worker', config);
  const metrics = new WorkerMetrics(logger);
  // Workflow spans take the same pipeline as the process's own (batched for OTLP).
  const journeyWorker = await createJourneyWorker(config, { observer: metrics, spanExporter: tracing?.spanExporter });
  metrics.buildIs(journeyWorker.deploymentVersion);
  const http = await startWorkerHttpServer({
    host: config.WORKER_HTTP_HOST,
    port: config.WORKER_HTTP_PORT,
    readiness: () => journeyWorker.readiness(),
    metrics: async () => ({
      contentType: metrics.registry.contentType,
      body: `${await metrics.registry.metrics()}\n${await scrapeSdkMetrics(sdkMetricsAddress)}`,
    }),
  });
  logger.info('worker started', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    namespace: config.TEMPORAL_NAMESPACE,
    pid: process.pid,
    http: http.url,
    sdkMetrics: sdkMetricsAddress,
    payloadEncryption: config.CONTINUUM_ROOT_KEY ? 'on' : 'off',
    // Worker versioning: the deployment version both task queues poll as (unversioned when unset).
    deployment: journeyWorker.deploymentVersion?.deploymentName ?? null,
    buildId: journeyWorker.deploymentVersion?.buildId ?? null,
  });
  if (!config.CONTINUUM_ROOT_KEY) logger.warn('payload encryption is off (CONTINUUM_ROOT_KEY is not set): customer data is stored in clear in Temporal');
  // The SDK's runtime stops polling on SIGINT/SIGTERM, lets running tasks finish, then run() resolves.
  try {
    await journeyWorker.run();
  } finally {
    await http.close();
    // The last batch of spans, before the process exits.
    await tracing?.shutdown();
  }
  logger.info('worker stopped', { state: journeyWorker.worker.getState() });
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'worker failed', error: (error as Error).message }));
  process.exit(1);
});
