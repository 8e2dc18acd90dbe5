import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { parseJourneyWorkflowId } from '@continuum/contracts';

const LEVELS: Record<'error' | 'warn' | 'info' | 'debug', LogLevel> = { error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG' };

/**
 * One log entry as one JSON line: `time`, `level`, `msg`, then the entry's metadata. The SDK
 * attaches `workflowId` (and run id, type, task queue) to workflow and activity lines; a journey
 * workflow id also yields `customerId` and `journeyId`.
 */
export function formatLogLine(entry: LogEntry): string {
  const meta: Record<string, unknown> = { ...entry.meta };
  const workflowId = typeof meta['workflowId'] === 'string' ? meta['workflowId'] : undefined;
  const journey = workflowId ? parseJourneyWorkflowId(workflowId) : undefined;
  if (journey) {
    meta['customerId'] ??= journey.customerId;
    meta['journeyId'] ??= journey.journeyId;
  }
  const line = {
    time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level.toLowerCase(),
    msg: entry.message,
    ...meta,
  };
  return `${JSON.stringify(line, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Error ? value.message : value))}\n`;
}

/** The worker's logger: JSON lines on stdout (or to `write`), from `level` up. */
export function createJsonLogger(level: keyof typeof LEVELS, write: (line: string) => void = (line) => process.stdout.write(line)): DefaultLogger {
  return new DefaultLogger(LEVELS[level], (entry) => write(formatLogLine(entry)));
}
