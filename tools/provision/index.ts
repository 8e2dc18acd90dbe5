export { toolsCacheDir } from './cache';
export { TEMPORAL_CLI_VERSION, resolveTemporalCli, temporalCliCachePath } from './temporal-cli';
export { TEST_SERVER_VERSION, resolveTestServer, testServerCachePath } from './test-server';
export {
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_SERVER_VERSION,
  resolveTemporalServer,
  temporalServerCachePath,
  temporalSqlToolCachePath,
  temporalUiServerCachePath,
  type TemporalServerTools,
} from './temporal-server';
