export { probe, PROBE_TIMEOUT_MS, type HealthChecks } from './probe';
