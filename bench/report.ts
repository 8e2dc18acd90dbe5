import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { barChart } from './chart';
import type { ScenarioResult } from './lib';

export interface Machine {
  cpus: number;
  cpuModel?: string;
  memoryGiB: number;
  node: string;
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  loadAverage: number;
  /** TEMPORAL_ENGINE of the run: `dev` (the CLI's dev server) or `server` (the real server on PostgreSQL). */
  temporalEngine?: string;
  /** Payload encryption in the stack (on unless BENCH_PAYLOAD_ENCRYPTION=off). */
  payloadEncryption?: boolean;
}

function markdown(result: ScenarioResult, machine: Machine, at: string, size: string, svgFile: string): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `# ${result.title}`,
    '',
    `${at}, size \`${size}\`, ${machine.cpus} cores (${machine.cpuModel ?? 'unknown CPU'}), ${machine.memoryGiB} GiB, Node ${machine.node}, Temporal engine \`${machine.temporalEngine ?? 'dev'}\`, payload encryption ${machine.payloadEncryption === false ? 'off' : 'on'}, load average ${machine.loadAverage} at start.`,
    '',
    '| What | Figure | Ratio to baseline |',
    '| --- | --- | --- |',
    ...result.rows.map((row) => `| ${row.what} | ${fmt(row.value)} ${row.unit} | ${row.ratio === undefined ? '' : `${row.ratio} × ${row.baseline}`} |`),
    '',
    ...result.notes.map((note) => `- ${note}`),
    '',
    `Settings: \`${JSON.stringify(result.settings)}\``,
    '',
    `![${result.scenario}](${svgFile})`,
    '',
  ];
  return lines.join('\n');
}

/** Writes <dir>/<stamp>-<scenario>.{json,md,svg}; returns the Markdown path. */
export function writeReport(dir: string, stamp: string, result: ScenarioResult, machine: Machine, size: string): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${stamp}-${result.scenario}`);
  const at = new Date().toISOString();
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...result, at, size, machine }, null, 2)}\n`);
  writeFileSync(`${base}.svg`, barChart(result.chart));
  writeFileSync(`${base}.md`, markdown(result, machine, at, size, basename(`${base}.svg`)));
  return `${base}.md`;
}

/** The figures as aligned text for the terminal. */
export function summary(result: ScenarioResult): string {
  const width = Math.max(...result.rows.map((row) => row.what.length));
  return [
    result.title,
    ...result.rows.map((row) => `  ${row.what.padEnd(width)}  ${`${row.value.toLocaleString('en-US')} ${row.unit}`.padEnd(22)}${row.ratio === undefined ? '' : `${row.ratio} × ${row.baseline}`}`),
  ].join('\n');
}

/** One scenario of a run, for the combined summary. */
export interface RunEntry {
  result: ScenarioResult;
  seconds: number;
  /** 1-minute load average sampled every few seconds while the scenario ran. */
  load: { min: number; mean: number; max: number };
  report: string;
}

const loadText = (load: RunEntry['load']) => `${load.mean} (${load.min}–${load.max})`;

/**
 * Writes <dir>/<stamp>-summary.{json,md}: every scenario of the run with its duration and the
 * machine's load meanwhile, every figure that has a ratio to a baseline, and a link to each report.
 */
export function writeSummary(dir: string, stamp: string, entries: RunEntry[], machine: Machine, size: string, totalSeconds: number): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${stamp}-summary`);
  const at = new Date().toISOString();
  const fmt = (n: number) => n.toLocaleString('en-US');
  writeFileSync(
    `${base}.json`,
    `${JSON.stringify({ at, size, machine, totalSeconds, scenarios: entries.map((e) => ({ scenario: e.result.scenario, title: e.result.title, seconds: e.seconds, load: e.load, report: basename(e.report), rows: e.result.rows })) }, null, 2)}\n`,
  );
  const lines = [
    `# Benchmark run ${stamp}: ${entries.map((e) => e.result.scenario).join(', ')}`,
    '',
    `${at}, size \`${size}\`, ${machine.cpus} cores (${machine.cpuModel ?? 'unknown CPU'}), ${machine.memoryGiB} GiB, Node ${machine.node}, Temporal engine \`${machine.temporalEngine ?? 'dev'}\`, payload encryption ${machine.payloadEncryption === false ? 'off' : 'on'}; ${Math.round(totalSeconds)} s in all (with the stack's start-up), load average ${machine.loadAverage} at start.`,
    '',
    '| Scenario | Time | Load average (1 min) meanwhile, mean (min–max) | Report |',
    '| --- | --- | --- | --- |',
    ...entries.map((e) => `| \`${e.result.scenario}\` | ${Math.round(e.seconds)} s | ${loadText(e.load)} | [${basename(e.report)}](${basename(e.report)}) |`),
    '',
    '## Every ratio to a baseline measured in the same run',
    '',
    '| Scenario | What | Figure | Ratio |',
    '| --- | --- | --- | --- |',
    ...entries.flatMap((e) =>
      e.result.rows.filter((row) => row.ratio !== undefined).map((row) => `| \`${e.result.scenario}\` | ${row.what} | ${fmt(row.value)} ${row.unit} | ${row.ratio} × ${row.baseline} |`),
    ),
    '',
    '## Every figure',
    '',
    ...entries.flatMap((e) => [
      `### ${e.result.title}`,
      '',
      '| What | Figure | Ratio to baseline |',
      '| --- | --- | --- |',
      ...e.result.rows.map((row) => `| ${row.what} | ${fmt(row.value)} ${row.unit} | ${row.ratio === undefined ? '' : `${row.ratio} × ${row.baseline}`} |`),
      '',
    ]),
  ];
  writeFileSync(`${base}.md`, lines.join('\n'));
  return `${base}.md`;
}
