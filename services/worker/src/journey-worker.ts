import { hostname } from 'node:os';
import { Resource } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { WorkerConfig } from '@continuum/config';
import { JourneyCatalogueStore, openDataSource, Warehouse, type DataSource } from '@continuum/data';
import { activeTracing } from '@continuum/temporal';
import { createEmailSender, createSmsSender } from '@continuum/twilio';
import { buildActivities, type ActivityObserver } from './activities';
import { journeyDescriptors } from './journey-descriptors';
import { discardingSpanExporter } from './observability/discarding-span-exporter';
import { probe, type HealthChecks } from './observability/worker-http-server';
import { workflowBundleOptions, workflowTracingModule } from './workflow-bundle-options';

const EMPTY_RESOURCE = Resource.empty();

export interface JourneyWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after `shutdown()` or a shutdown signal). */
  run(): Promise<void>;
  shutdown(): void;
  /** Readiness: PostgreSQL answers `SELECT 1`, Temporal answers, and the worker is polling. */
  readiness(): Promise<HealthChecks>;
}

export interface JourneyWorkerOptions {
  /** Told about journal entries and provider calls (metrics and logs). */
  observer?: ActivityObserver;
  /** Where workflow spans go when tracing is installed (`installTracing` from libs/temporal). */
  spanExporter?: SpanExporter;
}

/**
 * Builds the worker: workflows from the prebuilt bundle outside development (or bundled from
 * source in development and tests), activities from real dependencies.
 */
export async function createJourneyWorker(config: WorkerConfig, options: JourneyWorkerOptions = {}): Promise<JourneyWorker> {
  if (config.NODE_ENV === 'production' && !config.WORKFLOW_BUNDLE_PATH) {
    throw new Error('WORKFLOW_BUNDLE_PATH is required when NODE_ENV=production (build it with `npm run bundle:workflows`)');
  }
  const dataSource: DataSource = await openDataSource(config.DATABASE_URL, { applicationName: 'continuum-worker' });
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  } catch (error) {
    await dataSource.destroy();
    throw new Error(`Cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
  }
  const sms = createSmsSender({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    apiBaseUrl: config.TWILIO_API_BASE_URL,
  });
  const email = config.SENDGRID_API_KEY ? createEmailSender({ apiKey: config.SENDGRID_API_KEY, baseUrl: config.SENDGRID_API_BASE_URL }) : undefined;
  const descriptors = journeyDescriptors();
  const warehouse = config.WAREHOUSE_URL ? new Warehouse(config.WAREHOUSE_URL, { applicationName: 'continuum-worker-lookups' }) : undefined;
  // Publish before polling, so the gateway can route to every journey this worker runs.
  await new JourneyCatalogueStore(dataSource).publish(descriptors, `${hostname()}:${process.pid}`);
  const bundle = workflowBundleOptions();
  const tracing = activeTracing();
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // Heartbeats reach the server at least every 2 s, so a paused broadcast's batch hears it soon.
    maxHeartbeatThrottleInterval: '2 seconds',
    // Bounded, so that a backlog waits in Temporal's task queue, ordered by priority, not inside the worker.
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    // New instances' first tasks (a live customer's, a transactional send) come from the normal queue,
    // which the SDK would poll a fifth as often as the sticky one that a busy import keeps full.
    nonStickyToStickyPollRatio: 1,
    ...(config.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: bundle.workflowsPath, bundlerOptions: { webpackConfigHook: bundle.webpackConfigHook } }),
    activities: buildActivities({ dataSource, twilio: sms, email, config, descriptors, warehouse, observer: options.observer }),
    // Prebuilt bundles always contain the tracing interceptors, so the sink they export through is
    // always registered (discarding spans when tracing is off).
    sinks: { exporter: makeWorkflowExporter(tracing && options.spanExporter ? options.spanExporter : discardingSpanExporter, tracing?.resource ?? EMPTY_RESOURCE) },
    ...(tracing
      ? {
          interceptors: {
            workflowModules: config.WORKFLOW_BUNDLE_PATH ? [] : [workflowTracingModule],
            activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }) })],
          },
        }
      : {}),
  });
  return {
    worker,
    async run() {
      try {
        await worker.run();
      } finally {
        await connection.close();
        await dataSource.destroy();
        await warehouse?.close();
      }
    },
    shutdown: () => worker.shutdown(),
    async readiness() {
      const state = worker.getState();
      const [database, temporal] = await Promise.all([
        probe(() => dataSource.query('SELECT 1')),
        probe(() => connection.workflowService.getSystemInfo({})),
      ]);
      return { database, temporal, worker: state === 'RUNNING' ? 'up' : `down: worker is ${state}` };
    },
  };
}
