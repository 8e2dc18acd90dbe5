import { parser } from '@prometheus-io/lezer-promql';

/** A node of the parsed expression (the grammar's own type, whichever module build it comes from). */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** One label matcher of a selector: `status="failed"`, `job=~"continuum-.*"`. */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A series selector in an expression: the metric it names and its label matchers. */
export interface SeriesSelector {
  metric: string;
  matchers: LabelMatcher[];
}

/** One sample line of a Prometheus text exposition. */
export interface ScrapedSeries {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Grafana's built-in variables are not PromQL: each is replaced by a value of its kind before
 * parsing (a range for the rate interval, a number for the others).
 */
const GRAFANA_VARIABLES: Record<string, string> = {
  $__rate_interval: '5m',
  $__interval: '1m',
  $__range: '1h',
};

export function withGrafanaVariablesReplaced(expr: string): string {
  return expr.replace(/\$__\w+/g, (name) => {
    const value = GRAFANA_VARIABLES[name];
    if (value === undefined) throw new Error(`unknown Grafana variable ${name} in ${expr}`);
    return value;
  });
}

/** The value of a PromQL string literal (Go's quoting, which JSON's covers for what rules use). */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  if (literal.startsWith("'")) return JSON.parse(`"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(literal) as string;
}

/**
 * Parses `expr` with Prometheus' own PromQL grammar (the one its web UI uses) and returns every
 * series selector in it. Throws, naming the position, when the expression does not parse, or
 * when a selector names no metric (only `{__name__=…}`), which this check cannot follow.
 */
export function seriesSelectors(expr: string): SeriesSelector[] {
  const tree = parser.parse(expr);
  const selectors: SeriesSelector[] = [];
  const errors: number[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) errors.push(ref.from);
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = node.getChild('Identifier');
      if (!identifier) throw new Error(`a selector without a metric name in: ${expr}`);
      selectors.push({ metric: expr.slice(identifier.from, identifier.to), matchers: labelMatchers(node, expr) });
    },
  });
  if (errors.length > 0) throw new Error(`PromQL does not parse at ${errors.join(', ')}: ${expr}`);
  return selectors;
}

function labelMatchers(selector: SyntaxNode, expr: string): LabelMatcher[] {
  const list = selector.getChild('LabelMatchers');
  if (!list) return [];
  return list.getChildren('UnquotedLabelMatcher').map((matcher) => {
    const label = matcher.getChild('LabelName')!;
    const op = matcher.getChild('MatchOp')!;
    const value = matcher.getChild('StringLiteral')!;
    return {
      label: expr.slice(label.from, label.to),
      op: expr.slice(op.from, op.to) as LabelMatcher['op'],
      value: unquote(expr.slice(value.from, value.to)),
    };
  });
}

/** Whether `series` is selected by `selector`; labels in `ignored` (target labels Prometheus adds) match anything. */
export function selects(selector: SeriesSelector, series: ScrapedSeries, ignored: ReadonlySet<string> = new Set()): boolean {
  if (selector.metric !== series.metric) return false;
  return selector.matchers.every(({ label, op, value }) => {
    if (ignored.has(label)) return true;
    const actual = series.labels[label] ?? '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return new RegExp(`^(?:${value})$`).test(actual);
      case '!~':
        return !new RegExp(`^(?:${value})$`).test(actual);
    }
  });
}

/** The sample lines of a Prometheus text exposition (comments and blank lines skipped). */
export function parseExposition(text: string): ScrapedSeries[] {
  const series: ScrapedSeries[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      // One pass: `\\n` is a backslash and an n, not a newline (sequential replaces got that wrong).
      labels[name!] = value!.replace(/\\(n|"|\\)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    }
    series.push({ metric: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}
