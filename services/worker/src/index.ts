export { buildActivities, type ActivityObserver } from './activities';
export { createJourneyWorker, prebuiltBundle, type JourneyWorker, type JourneyWorkerOptions } from './journey-worker';
export { tracedBundlePath, workflowBundleOptions, workflowsPath, workflowTracingModule } from './workflow-bundle-options';
export { journeyDescriptors } from './journey-descriptors';
export { createJsonLogger, formatLogLine } from './observability/json-logger';
export { WorkerMetrics } from './observability/worker-metrics';
export type { HealthChecks } from '@continuum/health';
export { startWorkerHttpServer, type WorkerHttpServer } from './observability/worker-http-server';
