import type { HistoryCost } from './history-cost';

/** One scenario's counts: Continuum's and its hand-written floor's. */
export interface PriceRow {
  id: string;
  title: string;
  ours: HistoryCost;
  floor: HistoryCost;
}

/** Temporal Cloud's goal for each scenario: at most this many times its floor's actions. */
export const ACTIONS_GOAL_RATIO = 1.5;

const ratio = (ours: number, floor: number): string => (floor === 0 ? (ours === 0 ? '1.00' : '∞') : (ours / floor).toFixed(2));

/** The price table (Markdown), as README and docs/performance.md show it. */
export function priceTable(rows: readonly PriceRow[]): string {
  const pair = (ours: number, floor: number) => `${ours} / ${floor}`;
  const lines = [
    '| Scenario | Actions (ours / floor) | × floor | History events | Workflow tasks | Activities | Local activities (tasks with any) | Signals | Timers | Search-attribute upserts (billable) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(({ title, ours, floor }) =>
      [
        title,
        pair(ours.actions, floor.actions),
        `${ratio(ours.actions, floor.actions)}${ours.actions > floor.actions * ACTIONS_GOAL_RATIO ? ' ✗' : ' ✓'}`,
        pair(ours.events, floor.events),
        pair(ours.workflowTasks, floor.workflowTasks),
        pair(ours.activities, floor.activities),
        `${ours.localActivities} (${ours.localActivityTasks}) / ${floor.localActivities}`,
        pair(ours.signals, floor.signals),
        pair(ours.timers, floor.timers),
        `${ours.searchAttributeUpserts} (${ours.billableUpserts}) / ${floor.searchAttributeUpserts}`,
      ].join(' | '),
    ).map((line) => `| ${line} |`),
  ];
  return lines.join('\n');
}
