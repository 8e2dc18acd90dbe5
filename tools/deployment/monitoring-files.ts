import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { withGrafanaVariablesReplaced } from './promql';

const root = join(__dirname, '..', '..');
export const DASHBOARD_PATH = join(root, 'deploy/grafana/dashboards/continuum.json');
export const RULES_PATH = join(root, 'deploy/prometheus/rules/continuum-alerts.yml');
export const PROMETHEUS_CONFIG_PATH = join(root, 'deploy/prometheus/prometheus.yml');

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Array<{ expr: string; refId: string; legendFormat?: string; datasource?: { type: string; uid: string } }>;
}

export interface Dashboard {
  uid: string;
  title: string;
  templating: { list: Array<{ name: string; type: string; query: string }> };
  panels: DashboardPanel[];
}

export interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }>;
}

export const readDashboard = (): Dashboard => JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as Dashboard;
export const readRules = (): unknown => parse(readFileSync(RULES_PATH, 'utf8')) as unknown;
export const readPrometheusConfig = (): { rule_files: string[]; scrape_configs: Array<{ job_name: string }> } =>
  parse(readFileSync(PROMETHEUS_CONFIG_PATH, 'utf8')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string }> };

/** Every PromQL expression of the dashboard and the alert rules, named by where it is, as PromQL (Grafana's variables replaced). */
export function monitoringExpressions(): Array<{ where: string; expr: string }> {
  const dashboard = readDashboard().panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ where: `dashboard panel "${panel.title}" ${target.refId}`, expr: withGrafanaVariablesReplaced(target.expr) })),
  );
  const rules = (readRules() as RuleFile).groups.flatMap((group) => group.rules.map((rule) => ({ where: `rule ${rule.alert ?? rule.record}`, expr: rule.expr })));
  return [...dashboard, ...rules];
}
