import type { LoggerService } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';

type Level = 'error' | 'warn' | 'info' | 'debug';
const SEVERITY: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * The gateway's logger: one JSON object per line, `{time, level, context, msg, …fields}`. A message
 * may be an object (`{ msg, workflowId, customerId, … }`), whose fields become the line's.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: GatewayConfig['LOG_LEVEL'],
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.emit('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }

  private emit(level: Level, message: unknown, params: unknown[]): void {
    if (SEVERITY[level] > SEVERITY[this.level]) return;
    // Nest passes the logger's context last, and for errors a stack trace before it.
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
    const fields: Record<string, unknown> =
      message instanceof Error
        ? { msg: message.message, stack: message.stack }
        : typeof message === 'object' && message !== null
          ? { ...(message as Record<string, unknown>) }
          : { msg: String(message) };
    const line = { time: new Date().toISOString(), level, ...(context ? { context } : {}), ...fields, ...(stack ? { stack } : {}) };
    this.write(`${JSON.stringify(line)}\n`);
  }
}
