import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { GatewayErrorCode } from '../common/gateway-exception';
import { MAX_BATCH_BYTES } from '../tracking/segment-message';
import type { TrackingErrorBody } from '../tracking/tracking-exception.filter';

/**
 * Large enough for a 500 KB tracking batch to arrive and be refused by the tracking API itself,
 * with Segment's status and a message naming the limit.
 */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
const TRACKING_PATH = /^\/v1\//;

/** The tracking API's paths, whose errors take Segment's shape (`{ success: false, … }`). */
export function isTrackingPath(path: string): boolean {
  return TRACKING_PATH.test(path);
}

/**
 * JSON bodies for the whole gateway (GraphQL and the tracking API) up to 1 MB, and body parser
 * errors (malformed JSON, too large, bad encoding) answered as JSON 4xx instead of Express's HTML
 * page: Segment-style on /v1/*, the gateway's `{ error: { code, message } }` elsewhere.
 * Call before `listen()`: Nest then skips its own 100 KB JSON parser.
 */
export function configureJsonBody(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT_BYTES });
  // Registered here rather than at listen(), so that middleware added after this sees form bodies too.
  app.useBodyParser('urlencoded', { extended: true });
  app.use(answerBodyParserErrors);
}

interface BodyParserError extends Error {
  type: string;
  status: number;
  length?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as BodyParserError).type === 'string' && typeof (error as BodyParserError).status === 'number';
}

function answerBodyParserErrors(error: unknown, request: Request, response: Response, next: NextFunction): void {
  if (!isBodyParserError(error)) return next(error);
  const tracking = isTrackingPath(request.path);
  let status = error.status >= 400 && error.status < 500 ? error.status : 400;
  let message: string;
  switch (error.type) {
    case 'entity.parse.failed':
      status = 400;
      message = `body: malformed JSON (${error.message})`;
      break;
    case 'entity.too.large':
      // Segment answers an oversized request with 400; elsewhere it is a plain 413.
      status = tracking ? 400 : 413;
      message = tracking
        ? `batch: the request is ${error.length ?? 'more than ' + JSON_BODY_LIMIT_BYTES} bytes; the limit is ${MAX_BATCH_BYTES / 1024} KB per batch`
        : `body: larger than the ${JSON_BODY_LIMIT_BYTES / 1024 / 1024} MB limit`;
      break;
    default:
      if (tracking) status = 400;
      message = `body: ${error.message}`;
  }
  const field = message.slice(0, message.indexOf(':'));
  if (tracking) {
    const body: TrackingErrorBody = { success: false, code: GatewayErrorCode.BadUserInput, message, field };
    response.status(status).json(body);
  } else {
    response.status(status).json({ error: { code: GatewayErrorCode.BadUserInput, message } });
  }
}
