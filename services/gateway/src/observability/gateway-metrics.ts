import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Where an accepted event came from. */
export type EventSource = 'graphql' | 'tracking_api' | 'webhook' | 'audience';

/**
 * How routing one event ended: `delivered` to at least one instance, `no_instance` (no journey
 * listens, or none is running for it), `undeliverable` (Temporal refused it; marked with its
 * routing_error), or `failed` (an attempt failed and will be retried).
 */
export type RoutingOutcome = 'delivered' | 'no_instance' | 'undeliverable' | 'failed';

/** The gateway's Prometheus metrics, served at `/metrics`. */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly accepted = new Counter({
    name: 'continuum_events_accepted_total',
    help: 'Events stored (acknowledged), by source; a repeated messageId is not counted again',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  private readonly routed = new Counter({
    name: 'continuum_events_routed_total',
    help: 'Routing attempts by outcome: delivered, no_instance, undeliverable, failed (retried)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly routingLatency = new Histogram({
    name: 'continuum_routing_latency_seconds',
    help: 'Time from acceptance (receivedAt) until the event was routed to journeys',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  private readonly backlog = new Gauge({
    name: 'continuum_routing_backlog',
    help: 'Events accepted but not yet routed by this gateway',
    registers: [this.registry],
  });
  private readonly deliveryReports = new Counter({
    name: 'continuum_delivery_reports_total',
    help: 'Provider delivery reports (Twilio status callbacks, SendGrid events) that moved a message to a new status, by channel and status: queued, sent, delivered, read, undelivered, failed',
    labelNames: ['channel', 'status'] as const,
    registers: [this.registry],
  });
  private readonly inboundRefused = new Counter({
    name: 'continuum_inbound_refused_total',
    help: 'Inbound messages refused because no workspace has the number or address they were sent to (kept in inbound_refusals), by provider and channel',
    labelNames: ['provider', 'channel'] as const,
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({
    name: 'continuum_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'continuum_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every known series from 0, so rates and alerts work before the first event.
    for (const source of ['graphql', 'tracking_api', 'webhook', 'audience'] as const) this.accepted.inc({ source }, 0);
    for (const outcome of ['delivered', 'no_instance', 'undeliverable', 'failed'] as const) this.routed.inc({ outcome }, 0);
    for (const status of ['delivered', 'undelivered', 'failed'] as const) this.deliveryReports.inc({ channel: 'sms', status }, 0);
    for (const [provider, channel] of [['twilio', 'sms'], ['sendgrid', 'email']] as const) this.inboundRefused.inc({ provider, channel }, 0);
  }

  eventsAccepted(source: EventSource, count = 1): void {
    if (count > 0) this.accepted.inc({ source }, count);
  }

  /** One routing attempt; `receivedAt` (ISO-8601) gives the latency of a finished one. */
  eventRouted(outcome: RoutingOutcome, receivedAt?: string): void {
    this.routed.inc({ outcome });
    if (receivedAt && outcome !== 'failed') this.routingLatency.observe(Math.max(0, Date.now() - Date.parse(receivedAt)) / 1000);
  }

  /** An inbound message to a number or address of no workspace was refused. */
  inboundRefusedCount(provider: 'twilio' | 'sendgrid', channel: string): void {
    this.inboundRefused.inc({ provider, channel });
  }

  /** A provider's report moved one message to `status`. */
  deliveryReported(channel: string, status: string): void {
    this.deliveryReports.inc({ channel, status });
  }

  routingBacklog(size: number): void {
    this.backlog.set(size);
  }

  /** Express middleware counting every request once it has been answered. */
  httpMiddleware() {
    return (request: Request, response: Response, next: NextFunction): void => {
      const started = process.hrtime.bigint();
      response.once('finish', () => {
        const route = routeOf(request);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
        this.httpDuration.observe({ method: request.method, route }, seconds);
      });
      next();
    };
  }
}

/** The matched route pattern (`/v1/:type`, `/graphql`), never the raw path: labels stay few. */
export function routeOf(request: Request): string {
  const pattern = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${request.baseUrl}${pattern}`;
  const path = request.originalUrl.split('?')[0] ?? '';
  if (path === '/console' || path.startsWith('/console/')) return '/console';
  return path === '/graphql' ? '/graphql' : 'unmatched';
}
