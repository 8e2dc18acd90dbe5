/**
 * Benchmarks (programs that print figures, never tests):
 *
 *   npm run bench                                  every scenario, size small
 *   npm run bench -- ingestion --size medium       one scenario (ingestion | latency | timer-storm | funnel | experiment | send-time | retention | replay | waiting | rate-limit | enrolment | conversations | console | fair-load)
 *   npm run bench -- enrolment --members 100000    a population of its own instead of the size's (enrolment, waiting; fair-load: the import's events)
 *
 * Starts the real stack (Temporal, embedded PostgreSQL, Twilio emulator, worker, gateway) in a
 * temporary data dir on free ports, runs the scenarios with baselines against the same Temporal
 * server and PostgreSQL, and writes bench/results/<stamp>-<scenario>.{json,md,svg} (git-ignored).
 * BENCH_KEEP=1 keeps the data dir. TEMPORAL_ENGINE=server runs it on the real Temporal server on
 * PostgreSQL instead of the dev server (docs/engine.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPayloadCodec, openDataSource } from '@continuum/data';
import { continuumDataConverter } from '@continuum/temporal';
import { freePort, stackEngineOptions, startStack, testTemporalEngine } from '@continuum/testing';
import { round, type DatabaseScenario, type Scenario, type ScenarioResult, type Size } from './lib';
import { summary, writeReport, writeSummary, type Machine, type RunEntry } from './report';
import { funnel } from './scenarios/funnel';
import { experiment } from './scenarios/experiment';
import { sendTime } from './scenarios/send-time';
import { ingestion } from './scenarios/ingestion';
import { latency } from './scenarios/latency';
import { timerStorm } from './scenarios/timer-storm';
import { waiting } from './scenarios/waiting';
import { rateLimit } from './scenarios/rate-limit';
import { enrolment } from './scenarios/enrolment';
import { fairLoad } from './scenarios/fair-load';
import { conversations } from './scenarios/conversations';
import { retention } from './scenarios/retention';
import { consoleLoad } from './scenarios/console';
import { replay } from './scenarios/replay';

// fair-load leaves its import's backlog behind: it runs last.
const SCENARIOS: Record<string, Scenario> = { ingestion, latency, 'timer-storm': timerStorm, waiting, 'rate-limit': rateLimit, enrolment, conversations, console: consoleLoad, 'fair-load': fairLoad };
/** Scenarios that need no stack: a PostgreSQL of their own, or nothing (replay). */
const DATABASE_SCENARIOS: Record<string, DatabaseScenario> = { funnel, experiment, 'send-time': sendTime, retention, replay };
const SIZES: readonly Size[] = ['small', 'medium', 'large'];
const IDLE_TIMEOUT_MS = 2_000;

function parseArgs(argv: string[]): { names: string[]; size: Size; members?: number } {
  const names: string[] = [];
  let size: Size = 'small';
  let members: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg === '--size' ? argv[++i] : arg.startsWith('--size=') ? arg.slice('--size='.length) : undefined;
    const count = arg === '--members' ? argv[++i] : arg.startsWith('--members=') ? arg.slice('--members='.length) : undefined;
    if (value !== undefined) {
      if (!SIZES.includes(value as Size)) throw new Error(`--size must be one of ${SIZES.join(', ')}, got "${value}"`);
      size = value as Size;
    } else if (count !== undefined) {
      if (!/^\d+$/.test(count) || Number(count) < 1) throw new Error(`--members must be a whole number of at least 1, got "${count}"`);
      members = Number(count);
    } else if (arg in SCENARIOS || arg in DATABASE_SCENARIOS) names.push(arg);
    else throw new Error(`unknown scenario "${arg}"; scenarios: ${[...Object.keys(SCENARIOS), ...Object.keys(DATABASE_SCENARIOS)].join(', ')}`);
  }
  return { names: names.length > 0 ? names : [...Object.keys(SCENARIOS), ...Object.keys(DATABASE_SCENARIOS)], size, ...(members !== undefined ? { members } : {}) };
}

async function main(): Promise<void> {
  const { names, size, members } = parseArgs(process.argv.slice(2));
  const machine: Machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, loadAverage: round(loadavg()[0]!, 2), temporalEngine: testTemporalEngine(), payloadEncryption: payloadEncryption() };
  const stamp = new Date().toISOString().slice(0, 16).replace(/:/g, '');
  const dataDir = mkdtempSync(join(tmpdir(), 'continuum-bench-'));
  const resultsDir = join(__dirname, 'results');
  const began = performance.now();
  const entries: RunEntry[] = [];
  // The machine's load average every 5 s, so each scenario's figures come with how busy the machine was.
  const loadSamples: Array<{ at: number; load: number }> = [];
  const sampleLoad = () => loadSamples.push({ at: performance.now(), load: loadavg()[0]! });
  sampleLoad();
  const sampler = setInterval(sampleLoad, 5_000);
  let scenarioBegan = performance.now();
  const report = (result: ScenarioResult) => {
    const file = writeReport(resultsDir, stamp, result, machine, size);
    const now = performance.now();
    const loads = loadSamples.filter((sample) => sample.at >= scenarioBegan).map((sample) => sample.load);
    if (loads.length === 0) loads.push(loadavg()[0]!);
    entries.push({
      result,
      seconds: (now - scenarioBegan) / 1000,
      load: { min: round(Math.min(...loads), 2), mean: round(loads.reduce((a, b) => a + b, 0) / loads.length, 2), max: round(Math.max(...loads), 2) },
      report: file,
    });
    scenarioBegan = now;
    console.log(`\n${summary(result)}\n  report: ${file}\n`);
  };
  try {
    const stackNames = names.filter((name) => name in SCENARIOS);
    if (stackNames.length > 0) await runOnStack(stackNames, size, dataDir, report, members, () => (scenarioBegan = performance.now()));
    for (const name of names.filter((candidate) => candidate in DATABASE_SCENARIOS)) {
      console.error(`[bench] ${name} (size ${size}) in ${dataDir}`);
      scenarioBegan = performance.now();
      report(await DATABASE_SCENARIOS[name]!({ size, dataDir }));
    }
  } finally {
    clearInterval(sampler);
    if (entries.length > 1) console.log(`summary of the run: ${writeSummary(resultsDir, stamp, entries, machine, size, (performance.now() - began) / 1000)}`);
    if (process.env['BENCH_KEEP'] !== '1') rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Payload encryption in the stack, as npm start runs it; BENCH_PAYLOAD_ENCRYPTION=off measures without (its cost). */
function payloadEncryption(): boolean {
  return process.env['BENCH_PAYLOAD_ENCRYPTION'] !== 'off';
}

async function runOnStack(
  names: string[],
  size: Size,
  dataDir: string,
  report: (result: ScenarioResult) => void,
  members: number | undefined,
  scenarioStarts: () => void,
): Promise<void> {
  const engine = testTemporalEngine();
  console.error(`[bench] ${names.join(', ')} (size ${size}); starting the stack (Temporal engine ${engine}) in ${dataDir}`);
  const temporalPort = await freePort();
  const stack = await startStack({
    dataDir,
    ...(await stackEngineOptions(engine, temporalPort)),
    payloadEncryption: payloadEncryption(),
    ports: { temporal: temporalPort, postgres: await freePort(), gateway: await freePort(), emulator: await freePort() },
    // The benchmarks drive one key and one source far above the per-key and per-source request limits.
    serviceEnv: { LOG_LEVEL: 'warn', ABANDONED_CART_IDLE_TIMEOUT: `${IDLE_TIMEOUT_MS / 1000}s`, TRACKING_RATE_LIMIT_PER_SECOND: '0', GRAPHQL_RATE_LIMIT_PER_SECOND: '0' },
  });
  const db = await openDataSource(stack.databaseUrl, { poolSize: 8, applicationName: 'continuum-bench' });
  const connection = await Connection.connect({ address: stack.temporal.address });
  // The stack encrypts payloads (as npm start does): the bench's client decodes them like the gateway's.
  const temporal = new Client({ connection, namespace: 'default', dataConverter: continuumDataConverter(createPayloadCodec(db, stack.rootKey)) });
  const rawTemporal = new Client({ connection, namespace: 'default' });
  try {
    for (const name of names) {
      console.error(`[bench] ${name}`);
      scenarioStarts();
      report(await SCENARIOS[name]!({ stack, db, temporal, rawTemporal, size, runId: Date.now().toString(36), idleTimeoutMs: IDLE_TIMEOUT_MS, dataDir, ...(members !== undefined ? { members } : {}) }));
    }
  } finally {
    await connection.close();
    await db.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
