import type { NextFunction, Request, Response } from 'express';
import { GatewayErrorCode } from '../common/gateway-exception';
import { isTrackingPath } from './json-body';
import type { TrackingErrorBody } from '../tracking/tracking-exception.filter';
import { findUnstorableText, type UnstorableText } from '../common/storable-text';

/** GraphQL checks its own arguments and variables (validation/storable-text.plugin.ts). */
const GRAPHQL_PATH = /^\/graphql\b/;

/**
 * Every parsed HTTP body (JSON, form: REST `/messages`, Twilio and SendGrid webhooks) and every query
 * string is refused with 400 naming the JSON path of the first text PostgreSQL could not store
 * exactly, before any handler sees it. Multipart fields are parsed later, by their route, which checks them.
 */
export function refuseUnstorableText(request: Request, response: Response, next: NextFunction): void {
  // The tracking API checks each message of a batch on its own, so one bad event refuses only itself.
  const tracking = isTrackingPath(request.path);
  const problem =
    findUnstorableText(request.query, 'query') ??
    (GRAPHQL_PATH.test(request.path) || tracking ? undefined : findUnstorableText(request.body, ''));
  if (!problem) return next();
  answer(response, problem, tracking);
}

function answer(response: Response, problem: UnstorableText, tracking: boolean): void {
  const message = `${problem.path}: ${problem.reason}`;
  if (tracking) {
    const body: TrackingErrorBody = { success: false, code: GatewayErrorCode.BadUserInput, message, field: problem.path };
    response.status(400).json(body);
  } else {
    response.status(400).json({ error: { code: GatewayErrorCode.BadUserInput, message, field: problem.path } });
  }
}
