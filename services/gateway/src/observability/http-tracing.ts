import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { routeOf } from './gateway-metrics';

/**
 * A server span per HTTP request, continuing the caller's `traceparent` when it sends one; what
 * the request does (storing, routing, signalWithStart) runs inside it.
 */
export function httpTracingMiddleware(tracer: Tracer) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(`${request.method} ${redacted(request.path)}`, { kind: SpanKind.SERVER, attributes: { 'http.method': request.method, 'http.target': redacted(request.originalUrl) } }, parent);
    response.once('finish', () => {
      const route = routeOf(request);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** The codec server takes an API key as a path segment (`/codec/<key>/decode`, for the Web UI): never in a span. */
export function redacted(target: string): string {
  return target.replace(/^\/codec\/[^/?]+\/(decode|encode)/, '/codec/[key]/$1');
}
