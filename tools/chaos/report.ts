import type { ChaosReport } from './chaos';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The verdict line: events lost or acted on twice, duplicate and missing sends, instances stuck. */
export function chaosVerdict(report: ChaosReport): string {
  const lost = report.events.lost + report.events.notStored + report.events.unrouted + (report.inbound.stored - report.inbound.recorded);
  const stuck = report.stuck.instances + report.stuck.transactional + report.stuck.broadcast;
  return `${lost} events lost, ${report.events.actedOnTwice} acted on twice, ${report.sends.total.duplicated} duplicate sends, ${report.sends.total.missing} missing sends, ${stuck} stuck`;
}

const WINDOW_NAMES: Record<string, string> = { before: 'no fault yet', gateway: 'gateway killed', worker: 'worker killed', temporal: 'Temporal server killed', postgres: 'PostgreSQL killed' };
const windowName = (window: string) => WINDOW_NAMES[window] ?? window;

/** The figures printed at the end of `npm run chaos`. */
export function chaosSummary(report: ChaosReport): string {
  const lines = [
    '',
    `Chaos, ${report.journeys} journeys (${report.size}), ${report.durationSeconds} s: ${chaosVerdict(report)}`,
    `  events: ${report.events.acknowledged} acknowledged, ${report.events.routedOnce} routed to their instance exactly once, ${report.events.lost} never delivered, ${report.events.redelivered} redelivered (dropped by messageId), ${report.events.actedOnTwice} acted on twice, ${report.events.notStored} not stored, ${report.events.unrouted} unrouted; ${report.events.lateCartEvents} routed after their cart fell idle, ${report.events.runsNotInVisibility} runs not in visibility`,
    `  inbound SMS: ${report.inbound.stored} stored, ${report.inbound.recorded} recorded in their conversation`,
    `  sends: ${report.sends.total.sends} of ${report.sends.total.expectedSends} expected (missing ${report.sends.total.missing}, duplicated ${report.sends.total.duplicated})`,
    ...(['cart', 'cart-exit', 'transactional', 'inbound-reply', 'broadcast'] as const).map(
      (kind) => `    ${kind.padEnd(14)} ${String(report.sends[kind].journeys).padStart(5)} journeys  ${String(report.sends[kind].sends).padStart(5)} sends / ${report.sends[kind].expectedSends} expected  missing ${report.sends[kind].missing}  duplicated ${report.sends[kind].duplicated}`,
    ),
    `  stuck: ${report.stuck.instances} instances, ${report.stuck.transactional} transactional sends, ${report.stuck.broadcast} broadcasts; driver gave up on ${report.driverFailures} journeys`,
    '  per fault window (journeys driven while it was in force): journeys, events lost / redelivered / acted on twice / after their cart fell idle, sends missing / duplicated, driver gave up',
    ...report.windows.map(
      (row) =>
        `    ${windowName(row.window).padEnd(22)} ${String(row.journeys).padStart(5)}  events ${row.events.lost}/${row.events.redelivered}/${row.events.actedOnTwice}/${row.events.late} of ${row.events.acknowledged}  sends ${row.sends.missing}/${row.sends.duplicated} of ${row.sends.expected}  gave up ${row.driverFailures}`,
    ),
    '  faults (kill -9, then restart):',
    ...report.faults.map(
      (fault) =>
        `    ${fault.kind.padEnd(9)} restarted after ${seconds(fault.restartedAfterMs).padStart(7)}, recovered after ${seconds(fault.recoveredAfterMs).padStart(7)}${fault.alsoRestarted.length ? ` (also restarted: ${fault.alsoRestarted.join(', ')})` : ''}`,
    ),
    ...(report.problems.length ? ['  problems:', ...report.problems.slice(0, 10).map((problem) => `    ${problem}`)] : []),
  ];
  return lines.join('\n');
}

/** reports/chaos.md */
export function chaosMarkdown(report: ChaosReport): string {
  const kinds = ['cart', 'cart-exit', 'transactional', 'inbound-reply', 'broadcast', 'total'] as const;
  return [
    `# Chaos report`,
    '',
    `${report.startedAt}, ${report.journeys} journeys (size ${report.size}), ${report.durationSeconds} s. ` +
      `${report.topology.gateways} gateways, ${report.topology.workers} workers, ${report.topology.temporal}, ${report.topology.postgres}, the Twilio emulator; ` +
      `cart idle timeout ${report.settings.idleTimeoutSeconds} s, each killed part restarted after ${seconds(report.settings.downtimeMs)}, routing leases ${seconds(report.settings.routingLeaseMs)}.`,
    '',
    `**${chaosVerdict(report)}.**`,
    '',
    '## Faults',
    '',
    '| Fault (kill -9) | Restarted and ready after | Recovered after (probe events routed by every gateway, their SMS at the emulator) | Also restarted |',
    '| --- | ---: | ---: | --- |',
    ...report.faults.map((fault) => `| ${fault.kind} | ${seconds(fault.restartedAfterMs)} | ${seconds(fault.recoveredAfterMs)} | ${fault.alsoRestarted.join(', ') || '—'} |`),
    '',
    '## Per fault window',
    '',
    'Each journey counts in the window it was driven in (a broadcast member: the window its SMS went out in).',
    '',
    '| Window | Restarted after | Recovered after | Journeys | Events acknowledged | Lost | Redelivered (dropped) | Acted on twice | After their cart fell idle | Sends expected | Sent | Missing | Duplicated | Driver gave up |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.windows.map(
      (row) =>
        `| ${windowName(row.window)} | ${row.restartedAfterMs === undefined ? '—' : seconds(row.restartedAfterMs)} | ${row.recoveredAfterMs === undefined ? '—' : seconds(row.recoveredAfterMs)} | ${row.journeys} | ${row.events.acknowledged} | ${row.events.lost} | ${row.events.redelivered} | ${row.events.actedOnTwice} | ${row.events.late} | ${row.sends.expected} | ${row.sends.sent} | ${row.sends.missing} | ${row.sends.duplicated} | ${row.driverFailures} |`,
    ),
    '',
    '## Events (tracking API)',
    '',
    'Read from every run of each cart (listed by Temporal\'s visibility, recorded in the journal, or the latest by workflow id). ' +
      'Redelivered: signalled again to the same instance (runs linked by continue-as-new), which dropped the repeat by messageId — routing is at least once. ' +
      'Acted on twice: a repeat reached a second instance. ' +
      'Routed after their cart fell idle: routing held up longer than the idle timeout, so the update started a new cart (and a second reminder).',
    '',
    '| Acknowledged (200) | Routed to their instance exactly once | Never delivered | Redelivered (dropped) | Acted on twice | Not stored | Stored, never routed | Routed after their cart fell idle | Runs not in visibility |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${report.events.acknowledged} | ${report.events.routedOnce} | ${report.events.lost} | ${report.events.redelivered} | ${report.events.actedOnTwice} | ${report.events.notStored} | ${report.events.unrouted} | ${report.events.lateCartEvents} | ${report.events.runsNotInVisibility} |`,
    '',
    `Inbound SMS (the emulator's signed webhook): ${report.inbound.stored} stored by the gateways, ${report.inbound.recorded} recorded in the customer's conversation.`,
    '',
    '## Sends per instance (counted at the emulator)',
    '',
    'Expected from what the gateways stored (a call the driver gave up on may have been stored all the same): a cart with an update and no order, its reminder; a transactional request, its message; each SMS a customer wrote, its reply; a broadcast member, its SMS.',
    '',
    '| Journeys | Count | Expected sends | Sends | Missing | Duplicated | Journeys missing one | Journeys with a duplicate |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...kinds.map((kind) => {
      const row = report.sends[kind];
      return `| ${kind} | ${row.journeys} | ${row.expectedSends} | ${row.sends} | ${row.missing} | ${row.duplicated} | ${row.journeysWithMissing} | ${row.journeysWithDuplicates} |`;
    }),
    '',
    '## Stuck',
    '',
    `${report.stuck.instances} journey instances still active after the drain, ${report.stuck.transactional} transactional sends still pending, ${report.stuck.broadcast} broadcasts not completed; the driver gave up on ${report.driverFailures} journeys (no acknowledgement within 180 s).`,
    '',
    ...(report.problems.length ? ['## Problems', '', ...report.problems.map((problem) => `- ${problem}`), ''] : []),
  ].join('\n');
}
