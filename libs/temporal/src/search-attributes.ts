export { CustomerIdKey, InstanceKeyKey, JourneyIdKey, JourneyStatusKey, JourneyStepKey } from '@continuum/contracts';
