import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { Resource } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Context } from '@temporalio/activity';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { transactionalTaskQueueOf } from '@continuum/contracts';
import { workerCacheSizeOf, workerDeploymentVersionOf, type WorkerConfig, type WorkerDeploymentVersion } from '@continuum/config';
import { createPayloadCodec, createPayloadEncryption, JourneyCatalogueStore, MessagingPolicyStore, openDataSource, Warehouse, WebhookStore, type DataSource } from '@continuum/data';
import { activeTracing, continuumDataConverter, payloadOwnerActivityInterceptor } from '@continuum/temporal';
import { createEmailSender, createSmsSender } from '@continuum/twilio';
import { probe, type HealthChecks } from '@continuum/health';
import { buildActivities, type ActivityObserver } from './activities';
import { journeyDescriptors } from './journey-descriptors';
import { discardingSpanExporter } from './observability/discarding-span-exporter';
import { WebhookDispatcher } from './webhook-dispatcher';
import { tracedBundlePath, workflowBundleOptions } from './workflow-bundle-options';

const EMPTY_RESOURCE = Resource.empty();

/** Slots of the worker on the transactional task queue (transactionalTaskQueueOf): few messages, never waiting behind journeys. */
const TRANSACTIONAL_SLOTS = 4;
const TRANSACTIONAL_CACHED_WORKFLOWS = 100;

export interface JourneyWorker {
  worker: Worker;
  /** The worker deployment version both workers poll as (WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID); undefined: unversioned. */
  deploymentVersion?: WorkerDeploymentVersion;
  /** The same workflows and activities on the transactional task queue, with slots of its own. */
  transactionalWorker: Worker;
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
 * Worker versioning (docs/operating.md, "Rolling upgrades"): both task queues poll as one version of
 * the worker deployment. A workflow is pinned by default: it runs to its end on the build it started
 * on, so a change in a new build never meets an old instance's history. The conversation declares
 * itself auto-upgrading (it never ends: pinned, it would hold its build forever).
 */
function versionedPolling(version: WorkerDeploymentVersion): NonNullable<WorkerOptions['workerDeploymentOptions']> {
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' };
}

/** The prebuilt bundle to load: `path`, or with tracing on its traced sibling (written beside it by `npm run bundle:workflows`). */
export function prebuiltBundle(path: string, traced: boolean): string {
  if (!traced) return path;
  const file = tracedBundlePath(path);
  if (!existsSync(file)) {
    throw new Error(`TRACES_EXPORTER is set, so the worker loads the workflow bundle with tracing, ${file}, which does not exist: \`npm run bundle:workflows -- ${path}\` writes it beside WORKFLOW_BUNDLE_PATH`);
  }
  return file;
}

/**
 * Builds the worker: workflows from the prebuilt bundle outside development (or bundled from
 * source in development and tests), activities from real dependencies.
 */
export async function createJourneyWorker(config: WorkerConfig, options: JourneyWorkerOptions = {}): Promise<JourneyWorker> {
  if (config.NODE_ENV === 'production' && !config.WORKFLOW_BUNDLE_PATH) {
    throw new Error('WORKFLOW_BUNDLE_PATH is required when NODE_ENV=production (build it with `npm run bundle:workflows`)');
  }
  // Checked before anything is opened: one of the pair without the other is a configuration error.
  const deploymentVersion = workerDeploymentVersionOf(config);
  const cachedWorkflows = workerCacheSizeOf(config);
  // Read by the workflow threads when they start (the SDK's promise hook and its per-call watchdog, patches/@temporalio+worker+1.13.1.patch):
  // they copy this process's environment, so the validated value is the one they see.
  process.env['WORKFLOW_STACK_TRACES'] = config.WORKFLOW_STACK_TRACES;
  process.env['WORKFLOW_DEADLOCK_DETECTION'] = config.WORKFLOW_DEADLOCK_DETECTION;
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
  const tracing = activeTracing();
  // One bundle for both workers: the prebuilt one, or one made from source (development and tests);
  // with the tracing interceptors only while tracing is on (workflowTracingModule says why).
  const workflowBundle = config.WORKFLOW_BUNDLE_PATH
    ? { codePath: prebuiltBundle(config.WORKFLOW_BUNDLE_PATH, tracing !== undefined) }
    : await bundleWorkflowCode({ ...workflowBundleOptions({ traced: tracing !== undefined }), logger: new DefaultLogger('WARN') });
  // Saved policies reach every worker at once through NOTIFY (else within POLICY_CACHE_TTL_MS).
  const policyStore = new MessagingPolicyStore(dataSource);
  await policyStore.listen(config.DATABASE_URL);
  const activities = buildActivities({ dataSource, twilio: sms, email, config, descriptors, warehouse, observer: options.observer, policyStore });
  const dataConverter = continuumDataConverter(createPayloadCodec(dataSource, config.CONTINUUM_ROOT_KEY, config.CONTINUUM_PREVIOUS_ROOT_KEYS));
  const shared = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    // Heartbeats reach the server at least every 2 s, so a paused broadcast's batch hears it soon.
    maxHeartbeatThrottleInterval: '2 seconds',
    // New instances' first tasks (a live customer's, a transactional send) come from the normal queue,
    // which the SDK would poll a fifth as often as the sticky one that a busy import keeps full.
    nonStickyToStickyPollRatio: 1,
    workflowBundle,
    activities,
    // The sink the tracing interceptors export through, registered whichever bundle is loaded
    // (discarding spans when tracing is off).
    sinks: { exporter: makeWorkflowExporter(tracing && options.spanExporter ? options.spanExporter : discardingSpanExporter, tracing?.resource ?? EMPTY_RESOURCE) },
    // Payloads marked with their customer and, with a root key, encrypted under the customer's key
    // (the activities' own client, Context.current().client, uses the same converter).
    dataConverter,
    interceptors: {
      activity: [
        payloadOwnerActivityInterceptor,
        ...(tracing ? [(ctx: Context) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }) })] : []),
      ],
    },
    ...(deploymentVersion ? { workerDeploymentOptions: versionedPolling(deploymentVersion) } : {}),
  } satisfies Partial<WorkerOptions>;
  const worker = await Worker.create({
    ...shared,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // Bounded, so that a backlog waits in Temporal's task queue, ordered by priority, not inside the worker.
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    // Bounded, not the SDK's default (derived from the heap limit: about 2,300 on a 4 GiB heap), so the
    // worker's memory stays bounded however many journeys wait; an evicted one is replayed when it wakes.
    maxCachedWorkflows: cachedWorkflows,
  });
  const transactionalWorker = await Worker.create({
    ...shared,
    taskQueue: transactionalTaskQueueOf(config.TEMPORAL_TASK_QUEUE),
    maxConcurrentWorkflowTaskExecutions: TRANSACTIONAL_SLOTS,
    maxConcurrentActivityTaskExecutions: TRANSACTIONAL_SLOTS,
    // Transactional sends finish in a task or two, and a finished workflow leaves the cache.
    maxCachedWorkflows: TRANSACTIONAL_CACHED_WORKFLOWS,
  });
  // Moves queued webhook deliveries into Temporal while the worker runs (every worker does; they share the queue).
  const webhooks = new WebhookDispatcher({
    webhooks: new WebhookStore(dataSource, createPayloadEncryption(dataSource, config.CONTINUUM_ROOT_KEY, config.CONTINUUM_PREVIOUS_ROOT_KEYS)?.keys),
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dataConverter,
    databaseUrl: config.DATABASE_URL,
    retry: {
      maximumAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      initialIntervalMs: config.WEBHOOK_RETRY_INITIAL_INTERVAL_MS,
      backoffCoefficient: config.WEBHOOK_RETRY_BACKOFF_COEFFICIENT,
      maximumIntervalMs: config.WEBHOOK_RETRY_MAX_INTERVAL_MS,
    },
    intervalMs: config.WEBHOOK_DISPATCH_INTERVAL_MS,
    onError: (error) => console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'webhook dispatch failed', error: error.message })),
  });
  return {
    worker,
    transactionalWorker,
    deploymentVersion,
    async run() {
      try {
        // Either stopping (a shutdown signal reaches both) stops the other.
        const stopIfRunning = (other: Worker) => () => {
          if (other.getState() === 'RUNNING') other.shutdown();
        };
        await webhooks.start();
        await Promise.all([worker.run().finally(stopIfRunning(transactionalWorker)), transactionalWorker.run().finally(stopIfRunning(worker))]);
      } finally {
        await webhooks.stop();
        await connection.close();
        await policyStore.stopListening();
        await dataSource.destroy();
        await warehouse?.close();
      }
    },
    shutdown() {
      for (const each of [worker, transactionalWorker]) if (each.getState() === 'RUNNING') each.shutdown();
    },
    async readiness() {
      const state = worker.getState();
      const [database, temporal] = await Promise.all([
        probe(() => dataSource.query('SELECT 1')),
        probe(() => connection.workflowService.getSystemInfo({})),
      ]);
      const transactionalState = transactionalWorker.getState();
      return {
        database,
        temporal,
        worker:
          state !== 'RUNNING' ? `down: worker is ${state}` : transactionalState !== 'RUNNING' ? `down: transactional worker is ${transactionalState}` : 'up',
      };
    },
  };
}
