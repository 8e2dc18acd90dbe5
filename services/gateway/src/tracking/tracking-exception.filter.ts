import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { knownGatewayError } from '../common/gateway-error-mapping';
import { GatewayErrorCode } from '../common/gateway-exception';
import { BatchRefused, TrackingBackpressure, type RefusedMessage } from './tracking.service';

/** The body of every tracking API answer but a success (`{"success": true}`). */
export interface TrackingErrorBody {
  success: false;
  code: string;
  message: string;
  field?: string;
  /** A batch whose every message was refused: each one, with its index and why. */
  refused?: RefusedMessage[];
}

/**
 * Errors of the tracking API as Segment's clients expect them: 400 for an invalid payload (never
 * retried), 401 for a missing or unknown write key, 429 with Retry-After when routing is behind,
 * 5xx when nothing could be stored (clients retry; a repeated messageId is stored once).
 */
@Catch()
export class TrackingExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TrackingApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body, retryAfter } = this.describe(exception);
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    response.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: TrackingErrorBody; retryAfter?: number } {
    // Nest's own 5xx are internal errors here: the client is told to send the events again.
    const known = knownGatewayError(exception, (status) => status < 500);
    if (known) {
      return {
        status: known.httpStatus,
        ...(known instanceof TrackingBackpressure ? { retryAfter: known.retryAfterSeconds } : {}),
        body: {
          success: false,
          code: known.code,
          message: known.message,
          ...(known.field ? { field: known.field } : {}),
          ...(known instanceof BatchRefused ? { refused: known.refused } : {}),
        },
      };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return {
      status: 500,
      body: {
        success: false,
        code: GatewayErrorCode.Unavailable,
        message: 'Internal error: the events may not have been stored; send them again (a repeated messageId is stored once)',
      },
    };
  }
}
