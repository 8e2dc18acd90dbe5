import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { parse } from 'graphql';

/** Violations per rule and per type (or directive) of the schema, the unit the ratchet counts in. */
export type ViolationCounts = Record<string, Record<string, number>>;

export interface Violation {
  rule: string;
  type: string;
  line: number;
  message: string;
}

const root = join(__dirname, '..', '..');
export const SCHEMA_FILE = join(root, 'services/gateway/schema.gql');
export const BASELINE_FILE = join(__dirname, 'baseline.json');
const CONFIG_FILE = join(__dirname, 'schema-lint.config.mjs');

/** The top-level definition (type, enum, input, directive…) each line of the SDL belongs to. */
function definitionAtLine(sdl: string): (line: number) => string {
  const ranges = parse(sdl).definitions.flatMap((definition) =>
    'name' in definition && definition.name && definition.loc
      ? [{ name: definition.name.value, from: definition.loc.startToken.line, to: definition.loc.endToken.line }]
      : [],
  );
  return (line) => ranges.find((range) => range.from <= line && line <= range.to)?.name ?? '(schema)';
}

/** Lints a schema file with the schema lint's rules (see schema-lint.config.mjs). */
export async function lintSchemaFile(schemaFile: string, overrideConfig?: ESLint.Options['overrideConfig']): Promise<Violation[]> {
  const eslint = new ESLint(
    overrideConfig ? { cwd: root, overrideConfigFile: true, overrideConfig } : { cwd: root, overrideConfigFile: CONFIG_FILE },
  );
  const [result] = await eslint.lintFiles([schemaFile]);
  const typeAt = definitionAtLine(readFileSync(schemaFile, 'utf8'));
  return result!.messages.map((message) => ({
    rule: message.ruleId ?? 'parse-error',
    type: typeAt(message.line),
    line: message.line,
    message: message.message,
  }));
}

export function countViolations(violations: Violation[]): ViolationCounts {
  const counts: ViolationCounts = {};
  for (const { rule, type } of violations) {
    const perType = (counts[rule] ??= {});
    perType[type] = (perType[type] ?? 0) + 1;
  }
  return sortCounts(counts);
}

function sortCounts(counts: ViolationCounts): ViolationCounts {
  return Object.fromEntries(
    Object.keys(counts)
      .sort()
      .map((rule) => [rule, Object.fromEntries(Object.entries(counts[rule]!).sort(([a], [b]) => a.localeCompare(b)))]),
  );
}

export interface RatchetResult {
  /** `rule  Type: now (baseline was n)` where a type has more violations than the baseline allows. */
  grown: string[];
  /** Where it has fewer: the baseline must be lowered, so the gain cannot be spent again. */
  shrunk: string[];
}

/** Compares today's counts with the committed baseline; new violations anywhere are refused. */
export function compareWithBaseline(counts: ViolationCounts, baseline: ViolationCounts): RatchetResult {
  const grown: string[] = [];
  const shrunk: string[] = [];
  const rules = new Set([...Object.keys(counts), ...Object.keys(baseline)]);
  for (const rule of rules) {
    const types = new Set([...Object.keys(counts[rule] ?? {}), ...Object.keys(baseline[rule] ?? {})]);
    for (const type of types) {
      const now = counts[rule]?.[type] ?? 0;
      const allowed = baseline[rule]?.[type] ?? 0;
      if (now > allowed) grown.push(`${rule}  ${type}: ${now} (baseline ${allowed})`);
      if (now < allowed) shrunk.push(`${rule}  ${type}: ${now} (baseline ${allowed})`);
    }
  }
  return { grown: grown.sort(), shrunk: shrunk.sort() };
}

export function totals(counts: ViolationCounts): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([rule, perType]) => [rule, Object.values(perType).reduce((sum, n) => sum + n, 0)]));
}
