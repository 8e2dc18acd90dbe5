export { buildActivities } from './activities';
export { createJourneyWorker, type JourneyWorker } from './journey-worker';
export { workflowBundleOptions, workflowsPath } from './workflow-bundle-options';
export { journeyDescriptors } from './journey-descriptors';
