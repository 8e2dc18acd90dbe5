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
}

function markdown(result: ScenarioResult, machine: Machine, at: string, size: string, svgFile: string): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `# ${result.title}`,
    '',
    `${at}, size \`${size}\`, ${machine.cpus} cores (${machine.cpuModel ?? 'unknown CPU'}), ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage} at start.`,
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
