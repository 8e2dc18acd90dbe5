export { startStack, Teardown, type Stack, type StackOptions, type TemporalServerEngine } from './stack/stack';
export { startEmbeddedPostgres, startTestPostgres, type EmbeddedPostgresHandle } from './stack/embedded-postgres';
export { startTemporalDevServer, stopProcess, type TemporalDevServerHandle } from './stack/temporal-dev-server';
export { startServiceProcess, type ServiceProcess } from './stack/service-process';
export { freePort, freePortBelow, assertPortFree } from './stack/free-port';
export {
  ensureJourneyNamespace,
  freeTemporalServerPorts,
  setUpTemporalSchemas,
  startTemporalServer,
  TEMPORAL_SERVER_DYNAMIC_CONFIG,
  temporalServerPorts,
  TEMPORAL_DATABASE,
  TEMPORAL_VISIBILITY_DATABASE,
  type TemporalServerHandle,
  type TemporalServerOptions,
  type TemporalServerPorts,
} from './stack/temporal-server';
export {
  createIsolatedDatabase,
  createIsolatedNamespace,
  sharedTestServers,
  startSharedTestServers,
  type IsolatedDatabase,
  type SharedTestServers,
} from './stack/shared-test-servers';
export { waitFor, httpOk } from './stack/wait-for';
export { stackEngineOptions, startTestTemporal, testTemporalEngine, type TemporalEngine } from './stack/test-engine';
export { createJourneyTestBed, type JourneyTestBed } from './fixtures/journey-test-bed';
export { createTestDatabase, type TestDatabase } from './fixtures/test-database';
export { createWorkerTestTarget, type WorkerTestTarget } from './fixtures/worker-test-target';
export { createJourneyTestKit, type InstanceUnderTest, type JournalLine, type JourneyTestKit, type JourneyUnderTest } from './fixtures/journey-test-kit';
export { declaredSteps, PATH_KINDS, pathOf, undeclaredNextSteps, undeclaredSteps, type PathOptions } from './fixtures/journey-assertions';
export { scriptFunnelPopulation, type FunnelPopulation } from './fixtures/funnel-population';
export { bundleWorkflowCodeOncePerRun, workerWorkflowBundleEnv } from './fixtures/workflow-bundle-cache';
export { countArms, countEntryConversions, seedExperimentPopulation, type ExperimentPopulation, type SeededAssignment, type SeededEvent } from './fixtures/experiment-population';
