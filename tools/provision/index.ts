export { toolsCacheDir } from './cache';
export { TEMPORAL_CLI_VERSION, resolveTemporalCli, temporalCliCachePath } from './temporal-cli';
export { TEST_SERVER_VERSION, resolveTestServer, testServerCachePath } from './test-server';
