import type { ChaosReport } from './chaos';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The verdict line: events lost, duplicate and missing sends, instances stuck. */
export function chaosVerdict(report: ChaosReport): string {
  const lost = report.events.lost + report.events.notStored + report.events.unrouted;
  const stuck = report.stuck.instances + report.stuck.transactional + report.stuck.broadcast;
  return `${lost} events lost, ${report.sends.total.duplicated} duplicate sends, ${report.sends.total.missing} missing sends, ${stuck} stuck`;
}

/** The figures printed at the end of `npm run chaos`. */
export function chaosSummary(report: ChaosReport): string {
  const lines = [
    '',
    `Chaos, ${report.journeys} journeys (${report.size}), ${report.durationSeconds} s: ${chaosVerdict(report)}`,
    `  events: ${report.events.acknowledged} acknowledged, ${report.events.routedOnce} routed to their instance exactly once, ${report.events.lost} never delivered, ${report.events.deliveredMoreThanOnce} delivered more than once, ${report.events.notStored} not stored, ${report.events.unrouted} unrouted`,
    `  sends: ${report.sends.total.sends} of ${report.sends.total.expectedSends} expected (missing ${report.sends.total.missing}, duplicated ${report.sends.total.duplicated})`,
    ...(['cart', 'cart-exit', 'transactional', 'inbound-reply', 'broadcast'] as const).map(
      (kind) => `    ${kind.padEnd(14)} ${String(report.sends[kind].journeys).padStart(5)} journeys  ${String(report.sends[kind].sends).padStart(5)} sends / ${report.sends[kind].expectedSends} expected  missing ${report.sends[kind].missing}  duplicated ${report.sends[kind].duplicated}`,
    ),
    `  stuck: ${report.stuck.instances} instances, ${report.stuck.transactional} transactional sends, ${report.stuck.broadcast} broadcasts; driver gave up on ${report.driverFailures} journeys`,
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
    '## Events (tracking API)',
    '',
    '| Acknowledged (200) | Routed to their instance exactly once | Never delivered | Delivered more than once | Not stored | Stored, never routed |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${report.events.acknowledged} | ${report.events.routedOnce} | ${report.events.lost} | ${report.events.deliveredMoreThanOnce} | ${report.events.notStored} | ${report.events.unrouted} |`,
    '',
    '## Sends per instance (counted at the emulator)',
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
