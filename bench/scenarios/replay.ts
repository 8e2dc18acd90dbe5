import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundleOptions } from '@continuum/worker';
import { percentile, progress, round, type DatabaseBenchContext, type Row, type ScenarioResult } from '../lib';

/** Replays of each history per round (small / medium / large); three rounds each way, alternating. */
const SIZES = { small: 150, medium: 600, large: 3_000 } as const;
const ROUNDS = 3;
const HISTORIES = join(__dirname, '..', '..', 'workflows', 'journeys', 'histories');
const REGISTER = join(__dirname, '..', '..', 'tools', 'register.cjs');
const CHILD = join(__dirname, 'replay-child.ts');

/** The recorded journeys replayed: what a restarted worker does for each waiting instance before it acts. */
const CASES = [
  { id: 'cost-abandoned-cart', label: 'abandoned cart (3 updates, 1 SMS)' },
  { id: 'cost-abandoned-cart-before-baseline', label: 'abandoned cart, recorded before the patch baseline (6 patch markers)' },
  { id: 'cost-onboarding', label: 'onboarding (weekday morning, 1 SMS)' },
  { id: 'cost-cart-exits', label: 'cart that exits mid-wait' },
] as const;

type History = temporal.api.history.v1.IHistory;

/**
 * CPU (all of the child's threads) per replay of a history, `count` times, in a child process with
 * WORKFLOW_STACK_TRACES and WORKFLOW_DEADLOCK_DETECTION set as asked: the SDK installs its promise hook
 * once per process or thread, when it first runs a workflow, so each setting needs a process of its own.
 */
function replayCost(bundlePath: string, historyFile: string, count: number, stackTraces: boolean, deadlockDetection = true): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, CHILD, bundlePath, historyFile, String(count)], {
      env: { ...process.env, WORKFLOW_STACK_TRACES: stackTraces ? 'on' : 'off', WORKFLOW_DEADLOCK_DETECTION: deadlockDetection ? 'on' : 'off' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`replay child exited ${code}: ${out.slice(-500)}`));
      resolve((JSON.parse(line) as { cpuMsPerReplay: number }).cpuMsPerReplay);
    });
  });
}

/**
 * What replaying a journey costs the worker — what a restarted worker does for every waiting instance
 * before its timer's work (the `waiting` scenario's fire-out) — with the SDK's per-promise stacks off
 * (Continuum's default) and on (`WORKFLOW_STACK_TRACES=on`, the SDK's own behaviour): CPU per replay.
 * No stack: the recorded histories and the current workflow code, bundled here and replayed in child processes.
 */
export async function replay(ctx: DatabaseBenchContext): Promise<ScenarioResult> {
  const count = SIZES[ctx.size];
  const rows: Row[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  const notes: string[] = [];
  console.error('  bundling the journeys');
  const workflowBundle = await bundleWorkflowCode({ ...workflowBundleOptions(), workflowsPath: join(__dirname, '..', '..', 'workflows', 'journeys', 'src', 'index.ts'), logger: new DefaultLogger('WARN') });
  const bundlePath = join(ctx.dataDir, 'replay-workflow-bundle.js');
  // The code carries its source map inline, as the worker's prebuilt bundle does.
  writeFileSync(bundlePath, workflowBundle.code);
  for (const each of CASES) {
    const historyFile = join(HISTORIES, `${each.id}.history.pb`);
    const off: number[] = [];
    const on: number[] = [];
    const unguarded: number[] = [];
    const bar = progress(`replay ${each.id}`, ROUNDS * 3);
    for (let pass = 0; pass < ROUNDS; pass++) {
      off.push(await replayCost(bundlePath, historyFile, count, false));
      bar.tick();
      on.push(await replayCost(bundlePath, historyFile, count, true));
      bar.tick();
      unguarded.push(await replayCost(bundlePath, historyFile, count, false, false));
      bar.tick();
    }
    bar.done();
    const history = load(each.id);
    const offMs = percentile(off, 50);
    const onMs = percentile(on, 50);
    const unguardedMs = percentile(unguarded, 50);
    const events = history.events?.length ?? 0;
    rows.push(
      { what: `${each.label}, ${events} events: CPU per replay, stack traces off (default)`, value: round(offMs, 2), unit: 'ms', ratio: round(offMs / onMs, 2), baseline: 'stack traces on (the SDK as shipped)' },
      { what: `${each.label}: CPU per replay, stack traces on`, value: round(onMs, 2), unit: 'ms' },
      {
        what: `${each.label}: CPU per replay, stack traces off and deadlock detection off`,
        value: round(unguardedMs, 2),
        unit: 'ms',
        ratio: round(unguardedMs / offMs, 2),
        baseline: 'the defaults (stack traces off, deadlock detection on)',
      },
    );
    bars.push({ label: `${each.id}: off`, value: round(offMs, 2), group: 'off' }, { label: `${each.id}: on`, value: round(onMs, 2), group: 'baseline' });
  }
  notes.push(
    `${count} replays per round of each history, ${ROUNDS} rounds each way alternating (off, on, unguarded, off, …), each round a child process of its own (the SDK installs its hook once per process); the median round. CPU is the child's (its threads and the SDK's core) over the replays alone, from process.cpuUsage, after a first pass of 20 replays that warms the code.`,
    'Stack traces on is the SDK as shipped: it captures a source-mapped stack for every promise workflow code makes, for the stack-trace query (the Web UI\'s Stack Trace tab). Continuum turns that off by default (WORKFLOW_STACK_TRACES, patches/README.md).',
    'Deadlock detection off (WORKFLOW_DEADLOCK_DETECTION=off, not the default) drops the timeout the SDK puts on every call into workflow code, for which Node starts and joins a watchdog thread each time; without it a journey that never yields blocks its worker\'s workflow thread.',
    'The "before the patch baseline" history is a cart started before continuum.baseline-2026-12, replayed by the current code (one marker and one TemporalChangeVersion upsert per change it passed).',
  );
  return {
    scenario: 'replay',
    title: `Replaying a journey's history: worker CPU per replay (${count} replays a round)`,
    settings: { replaysPerRound: count, rounds: ROUNDS, histories: CASES.map((each) => each.id) },
    rows,
    notes,
    chart: { title: 'Worker CPU per replay of a recorded journey (grey: with the SDK\'s per-promise stacks)', unit: 'ms', bars },
  };
}

function load(id: string): History {
  return temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, `${id}.history.pb`)));
}
