import { Injectable } from '@nestjs/common';
import { GatewayException } from '../common/gateway-exception';
import { EventsService, type AcceptResult, type WorkspacePrincipal } from '../events/events.service';
import { MAX_BATCH_BYTES, isObject, parseSegmentMessage, type MessageEnvelope, type SegmentType } from './segment-message';

/** The workspace (and, over HTTP, the source) events arrive for. */
export type TrackingPrincipal = WorkspacePrincipal & { sourceId?: string };

/** Events accepted but not yet routed above which new requests are asked to come back later. */
export const MAX_ROUTING_BACKLOG = 50_000;

/** The routing backlog is full: answered 429 with Retry-After (Segment's clients wait and resend). */
export class TrackingBackpressure extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many events are waiting to be routed; retry in ${retryAfterSeconds} s`);
    this.name = 'TrackingBackpressure';
  }
}

/**
 * Segment's tracking API over our one entry point: validates every message of a request first
 * (nothing is stored when one is bad), then accepts them all in one transaction, in order.
 */
@Injectable()
export class TrackingService {
  constructor(private readonly events: EventsService) {}

  /** One call (`/v1/track`, the `page` mutation, …): the body is the message. */
  async single(principal: TrackingPrincipal, type: SegmentType, message: unknown, receivedAt = new Date()): Promise<AcceptResult> {
    const envelope: MessageEnvelope = { receivedAt, sourceId: principal.sourceId };
    const event = parseSegmentMessage(message, '', envelope, type);
    const [result] = await this.accept(principal, [event]);
    return result!;
  }

  /** `/v1/batch` and the `batch` mutation: `{ batch: [...], context?, integrations?, sentAt? }`. */
  async batch(principal: TrackingPrincipal, body: unknown, receivedAt = new Date()): Promise<AcceptResult[]> {
    if (!isObject(body)) throw GatewayException.badInput('body', 'must be a JSON object with a "batch" array');
    const messages = body['batch'];
    if (!Array.isArray(messages)) throw GatewayException.badInput('batch', 'must be an array of events');
    const bytes = Buffer.byteLength(JSON.stringify(body));
    if (bytes > MAX_BATCH_BYTES) {
      throw GatewayException.badInput('batch', `the request is ${bytes} bytes; the limit is ${MAX_BATCH_BYTES / 1024} KB per batch`);
    }
    const envelope: MessageEnvelope = {
      receivedAt,
      sentAt: body['sentAt'],
      context: objectOrBadInput(body['context'], 'context'),
      integrations: objectOrBadInput(body['integrations'], 'integrations'),
      sourceId: principal.sourceId,
    };
    const events = messages.map((message, index) => parseSegmentMessage(message, `batch[${index}]`, envelope));
    return this.accept(principal, events);
  }

  private async accept(principal: TrackingPrincipal, events: ReturnType<typeof parseSegmentMessage>[]): Promise<AcceptResult[]> {
    if (events.length === 0) return [];
    if (this.events.routingBacklog > MAX_ROUTING_BACKLOG) throw new TrackingBackpressure(1);
    // Over HTTP a source write key names the source; the GraphQL tracking mutations carry none.
    return this.events.acceptAll(principal, events, { source: principal.sourceId ? 'tracking_api' : 'graphql' });
  }
}

function objectOrBadInput(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw GatewayException.badInput(field, 'must be a JSON object');
  return value;
}
