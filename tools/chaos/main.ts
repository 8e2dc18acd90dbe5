/**
 * `npm run chaos`: the chaos program (prints figures and writes a report; never a timed test).
 *
 *   npm run chaos                    # size full: 1,000 journeys (about 10 minutes on 2 cores)
 *   npm run chaos -- --size small    # 40 journeys (about 3 minutes)
 *   npm run chaos -- --journeys 200  # a number of its own
 *   CHAOS_KEEP=1 npm run chaos       # keeps the data dir (logs of every process, PostgreSQL)
 *
 * On loopback: one embedded PostgreSQL, the real Temporal server on it, the Twilio emulator, 3
 * gateways and 2 workers. Journeys go in through the tracking API, GraphQL and the emulator's
 * inbound SMS while a gateway, a worker, the Temporal server and PostgreSQL are killed with SIGKILL
 * and restarted, in turn. Writes reports/chaos.{json,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHAOS_SIZES, runChaos, type ChaosReport, type ChaosSize } from './chaos';
import { progressBar } from './progress';
import { chaosMarkdown, chaosSummary } from './report';

function parseArgs(argv: string[]): { size: ChaosSize; journeys?: number } {
  let size: ChaosSize = 'full';
  let journeys: number | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const value = () => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--size') {
      const given = value();
      if (!(given in CHAOS_SIZES)) throw new Error(`--size must be one of ${Object.keys(CHAOS_SIZES).join(', ')}, got "${given}"`);
      size = given as ChaosSize;
    } else if (arg === '--journeys') {
      journeys = Number(value());
      if (!Number.isInteger(journeys) || journeys < 10 || journeys > 100_000) throw new Error('--journeys must be an integer from 10 to 100000');
    } else {
      throw new Error(`unknown argument "${arg}" (use --size small|full, --journeys N)`);
    }
  }
  return { size, journeys };
}

async function main(): Promise<void> {
  const { size, journeys } = parseArgs(process.argv.slice(2));
  const total = journeys ?? CHAOS_SIZES[size].journeys;
  console.error(`chaos: ${total} journeys, size ${size}; faults in turn: gateway, worker, Temporal server, PostgreSQL (kill -9, restart)`);
  const bar = progressBar(total);
  const report: ChaosReport = await runChaos({
    size,
    journeys,
    keep: process.env['CHAOS_KEEP'] === '1',
    log: (line) => {
      if (process.env['CHAOS_VERBOSE'] === '1' || /killed|recovered/.test(line)) process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}  ${line}\n`);
    },
    onProgress: (done, _all, phase) => bar.update(done, phase),
  });
  bar.done();
  const dir = resolve(__dirname, '../../reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'chaos.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'chaos.md'), chaosMarkdown(report));
  console.log(chaosSummary(report));
  console.log(`report: ${join(dir, 'chaos.md')} (and chaos.json)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`chaos: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
