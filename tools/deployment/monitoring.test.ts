import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { monitoringExpressions, readDashboard, readPrometheusConfig, readRules } from './monitoring-files';
import { parseExposition, selects, seriesSelectors, withGrafanaVariablesReplaced } from './promql';

// The committed dashboard, alert rules and Prometheus/Grafana provisioning, checked without a
// Prometheus: structure here; that every expression selects series the services really expose
// in monitoring.e2e.test.ts.

const root = join(__dirname, '..', '..');
/** Prometheus durations: 30s, 5m, 1h30m. */
const duration = z.string().regex(/^(\d+(ms|[smhdwy]))+$/, 'must be a Prometheus duration such as 5m');
/** Alert templates may use $value, $labels and $externalLabels, and Prometheus' template functions. */
const template = z.string().min(1).refine((text) => [...text.matchAll(/\$(\w+)/g)].every(([, name]) => ['value', 'labels', 'externalLabels'].includes(name!)), 'uses an unknown template variable');
const ruleFileSchema = z
  .object({
    groups: z
      .array(
        z
          .object({
            name: z.string().min(1),
            interval: duration.optional(),
            rules: z
              .array(
                z
                  .object({
                    alert: z.string().regex(/^[A-Z][A-Za-z0-9]+$/, 'alert names are CamelCase'),
                    expr: z.string().min(1),
                    for: duration.optional(),
                    labels: z.object({ severity: z.enum(['page', 'ticket']) }).strict(),
                    annotations: z.object({ summary: template, description: template }).strict(),
                  })
                  .strict(),
              )
              .min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

describe('alert rules (deploy/prometheus/rules)', () => {
  const rules = ruleFileSchema.parse(readRules());
  const alerts = rules.groups.flatMap((group) => group.rules);

  it('is a Prometheus rule file: groups of alerts, each with an expression, a severity, a summary and a description', () => {
    expect(new Set(rules.groups.map((group) => group.name)).size).toBe(rules.groups.length);
    expect(new Set(alerts.map((alert) => alert.alert)).size).toBe(alerts.length);
  });

  it('covers the states that need a person: a growing backlog, failing sends, a missing worker', () => {
    const selected = (name: string) => alerts.filter((alert) => seriesSelectors(alert.expr).some((selector) => selector.metric === name)).map((alert) => alert.alert);
    expect(selected('continuum_routing_backlog')).toContain('ContinuumRoutingBacklogGrowing');
    expect(selected('continuum_sends_total')).toContain('ContinuumSendsFailing');
    const workerUp = alerts.filter((alert) => seriesSelectors(alert.expr).some((selector) => selector.metric === 'up' && selector.matchers.some((m) => m.label === 'job' && m.value === 'continuum-worker')));
    expect(workerUp.map((alert) => alert.alert)).toEqual(expect.arrayContaining(['ContinuumNoWorker', 'ContinuumWorkerDown']));
    expect(alerts.find((alert) => alert.alert === 'ContinuumNoWorker')!.expr).toMatch(/^absent\(/);
  });

  it('refuses a rule file Prometheus would refuse', () => {
    const valid = { groups: [{ name: 'g', rules: [{ alert: 'SomethingDown', expr: 'up == 0', for: '5m', labels: { severity: 'page' }, annotations: { summary: 's', description: 'd' } }] }] };
    expect(ruleFileSchema.safeParse(valid).success).toBe(true);
    const broken = (change: (rule: Record<string, unknown>) => void) => {
      const copy = structuredClone(valid) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
      change(copy.groups[0]!.rules[0]!);
      return ruleFileSchema.safeParse(copy).success;
    };
    expect(broken((rule) => (rule['for'] = 'five minutes'))).toBe(false);
    expect(broken((rule) => delete rule['expr'])).toBe(false);
    expect(broken((rule) => (rule['labels'] = { severity: 'urgent' }))).toBe(false);
    expect(broken((rule) => (rule['annotations'] = { summary: '{{ $valeu }}', description: 'd' }))).toBe(false);
    expect(broken((rule) => (rule['expression'] = 'up'))).toBe(false);
  });
});

describe('Grafana dashboard (deploy/grafana/dashboards/continuum.json)', () => {
  const dashboard = readDashboard();
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('queries the chosen Prometheus data source from every panel, with unique ids and refIds', () => {
    expect(dashboard.uid).toBe('continuum-overview');
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.description, panel.title).toBeTruthy();
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      expect(new Set(panel.targets!.map((target) => target.refId)).size, panel.title).toBe(panel.targets!.length);
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
    }
  });

  it('has panels for routing backlog, entry and send rates, delivery outcomes, workflow task latency and schedule-to-start', () => {
    const metricsOf = (panel: (typeof panels)[number]) => panel.targets!.flatMap((target) => seriesSelectors(withGrafanaVariablesReplaced(target.expr)).map((s) => s.metric));
    const shown = new Set(panels.flatMap(metricsOf));
    for (const metric of [
      'continuum_routing_backlog',
      'continuum_journey_entries_total',
      'continuum_sends_total',
      'continuum_delivery_reports_total',
      'temporal_workflow_task_execution_latency_bucket',
      'temporal_workflow_task_schedule_to_start_latency_bucket',
      'temporal_activity_schedule_to_start_latency_bucket',
    ]) {
      expect(shown, metric).toContain(metric);
    }
  });

  it('replaces only the Grafana variables it knows', () => {
    expect(withGrafanaVariablesReplaced('rate(x[$__rate_interval])')).toBe('rate(x[5m])');
    expect(() => withGrafanaVariablesReplaced('rate(x[$__unknown])')).toThrow(/unknown Grafana variable \$__unknown/);
  });
});

describe('PromQL of the dashboard and the rules', () => {
  it.each(monitoringExpressions().map(({ where, expr }) => [where, expr]))('%s parses with Prometheus’ grammar', (_where, expr) => {
    expect(seriesSelectors(expr).length).toBeGreaterThan(0);
  });

  it('names, in every job matcher, a job of deploy/prometheus/prometheus.yml', () => {
    const jobs = new Set(readPrometheusConfig().scrape_configs.map((config) => config.job_name));
    expect([...jobs].sort()).toEqual(['continuum-gateway', 'continuum-temporal', 'continuum-worker']);
    for (const { where, expr } of monitoringExpressions()) {
      for (const matcher of seriesSelectors(expr).flatMap((selector) => selector.matchers).filter((m) => m.label === 'job')) {
        expect(jobs, where).toContain(matcher.value);
      }
    }
  });

  it('reads the Temporal SDK metrics from the workers only (the server exposes the same names for its internal worker)', () => {
    for (const { where, expr } of monitoringExpressions()) {
      for (const selector of seriesSelectors(expr).filter((s) => s.metric.startsWith('temporal_'))) {
        expect(selector.matchers, `${where}: ${selector.metric}`).toContainEqual({ label: 'job', op: '=', value: 'continuum-worker' });
      }
    }
  });

  it('reports where an expression fails to parse', () => {
    expect(() => seriesSelectors('sum(rate(x[5m])')).toThrow(/does not parse at/);
    expect(() => seriesSelectors('sum by (le) rate(x[5m]))')).toThrow(/does not parse/);
  });

  it('matches series as Prometheus does: equality, inequality and fully anchored regular expressions', () => {
    const [series] = parseExposition('continuum_sends_total{channel="sms",status="failed"} 0\n');
    const matches = (expr: string) => selects(seriesSelectors(expr)[0]!, series!);
    expect(matches('continuum_sends_total{status="failed"}')).toBe(true);
    expect(matches('continuum_sends_total{status=~"failed|error"}')).toBe(true);
    expect(matches('continuum_sends_total{status=~"fail"}')).toBe(false);
    expect(matches('continuum_sends_total{status!~"sent|skipped"}')).toBe(true);
    expect(matches('continuum_sends_total{status!="failed"}')).toBe(false);
    expect(matches('continuum_sends_total{job="continuum-worker"}')).toBe(false);
    expect(selects(seriesSelectors('continuum_sends_total{job="continuum-worker"}')[0]!, series!, new Set(['job']))).toBe(true);
    expect(matches('continuum_sends{status="failed"}')).toBe(false);
  });

  it('reads any label value back from an exposition line, escapes included', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
        const [series] = parseExposition(`m_total{a="${escape(a)}",b="${escape(b)}"} 1\n`);
        expect(series).toEqual({ metric: 'm_total', labels: { a, b }, value: 1 });
      }),
    );
  });
});

describe('Prometheus and Grafana provisioning (deploy/)', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { volumes?: string[]; ports?: string[] }>;
  };
  const mountTarget = (service: string, source: string) => compose.services[service]!.volumes!.find((volume) => volume.startsWith(`${source}:`))!.split(':')[1]!;

  it('loads the rule files from where compose mounts them', () => {
    const rulesDir = mountTarget('prometheus', './deploy/prometheus/rules');
    expect(readPrometheusConfig().rule_files).toEqual([`${rulesDir}/*.yml`]);
  });

  it('provisions the Prometheus data source and the dashboards folder compose mounts', () => {
    const datasources = parse(readFileSync(join(root, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: Array<{ type: string; url: string }> };
    expect(datasources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = parse(readFileSync(join(root, 'deploy/grafana/provisioning/dashboards/continuum.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    expect(providers.providers[0]!.options.path).toBe(mountTarget('grafana', './deploy/grafana/dashboards'));
    expect(existsSync(join(root, 'deploy/grafana/dashboards/continuum.json'))).toBe(true);
  });
});
