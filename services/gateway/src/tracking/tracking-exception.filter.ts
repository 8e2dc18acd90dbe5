import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { databaseInputError } from '../common/database-input-error';
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
    exception = databaseInputError(exception) ?? exception;
    if (exception instanceof GatewayException) {
      return {
        status: exception.httpStatus,
        ...(exception instanceof TrackingBackpressure ? { retryAfter: exception.retryAfterSeconds } : {}),
        body: {
          success: false,
          code: exception.code,
          message: exception.message,
          ...(exception.field ? { field: exception.field } : {}),
          ...(exception instanceof BatchRefused ? { refused: exception.refused } : {}),
        },
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = status === 404 ? GatewayErrorCode.NotFound : status === 401 ? GatewayErrorCode.Unauthenticated : GatewayErrorCode.BadUserInput;
      return { status, body: { success: false, code, message: exception.message } };
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
