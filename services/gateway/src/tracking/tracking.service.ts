import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import type { RoutingLane } from '../events/event-outbox';
import { EventsService, type AcceptResult, type IncomingEvent, type WorkspacePrincipal } from '../events/events.service';
import { assertStorableText, unstorableReason } from '../common/storable-text';
import { MAX_BATCH_BYTES, isObject, parseSegmentMessage, type MessageEnvelope, type SegmentType } from './segment-message';

/** The workspace (and, over HTTP, the source) events arrive for. */
export type TrackingPrincipal = WorkspacePrincipal & { sourceId?: string };

/** Events accepted but not yet routed above which new requests are asked to come back later. */
export const MAX_ROUTING_BACKLOG = 50_000;
/** How long an import is asked to wait when its share of the routing outbox is full. */
const BULK_RETRY_AFTER_SECONDS = 2;

/**
 * The routing backlog is full, or the source sends faster than its rate limit: answered 429 with
 * Retry-After (Segment's clients wait and resend).
 */
export class TrackingBackpressure extends GatewayException {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many events are waiting to be routed; retry in ${retryAfterSeconds} s`,
  ) {
    super(GatewayErrorCode.RateLimited, message);
    this.name = 'TrackingBackpressure';
  }
}

/** A message of a batch that was not stored, and why. */
export interface RefusedMessage {
  /** Its position in the request's `batch` array. */
  index: number;
  messageId?: string;
  code: string;
  /** The JSON path of the offending field, e.g. `batch[3].userId`. */
  field: string;
  message: string;
}

/** What a batch stored (in order) and what it refused. */
export interface BatchOutcome {
  accepted: AcceptResult[];
  refused: RefusedMessage[];
}

/** Every message of a batch was refused: nothing was stored (400, each refusal listed). */
export class BatchRefused extends GatewayException {
  constructor(readonly refused: RefusedMessage[]) {
    const first = refused[0]!;
    super(GatewayErrorCode.BadUserInput, refused.length === 1 ? first.message : `${first.message} (and ${refused.length - 1} more refused)`, first.field);
    this.name = 'BatchRefused';
  }
}

/**
 * Segment's tracking API over our one entry point: validates every message of a request first,
 * then accepts the valid ones in one transaction, in order.
 */
@Injectable()
export class TrackingService {
  constructor(
    private readonly events: EventsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** One call (`/v1/track`, the `page` mutation, …): the body is the message. */
  async single(principal: TrackingPrincipal, type: SegmentType, message: unknown, receivedAt = new Date()): Promise<AcceptResult> {
    const envelope: MessageEnvelope = { receivedAt, sourceId: principal.sourceId };
    const event = parseSegmentMessage(message, '', envelope, type);
    const [result] = await this.accept(principal, [event]);
    return result!;
  }

  /**
   * `/v1/batch` and the `batch` mutation: `{ batch: [...], context?, integrations?, sentAt? }`.
   * Each message is checked on its own: the valid ones are stored (in order) and the invalid ones are
   * returned as refused, so one bad event never costs its neighbours. A request that is itself
   * invalid (not an object, too large, a bad batch-level field), or whose every message is refused,
   * stores nothing and throws BAD_USER_INPUT.
   */
  async batch(principal: TrackingPrincipal, body: unknown, receivedAt = new Date()): Promise<BatchOutcome> {
    if (!isObject(body)) throw GatewayException.badInput('body', 'must be a JSON object with a "batch" array');
    const messages = body['batch'];
    if (!Array.isArray(messages)) throw GatewayException.badInput('batch', 'must be an array of events');
    const bytes = Buffer.byteLength(JSON.stringify(body));
    if (bytes > MAX_BATCH_BYTES) {
      throw GatewayException.badInput('batch', `the request is ${bytes} bytes; the limit is ${MAX_BATCH_BYTES / 1024} KB per batch`);
    }
    // Batch-level fields apply to every message: a bad one refuses the request.
    assertStorableText({ ...body, batch: [] }, '');
    const envelope: MessageEnvelope = {
      receivedAt,
      sentAt: body['sentAt'],
      context: objectOrBadInput(body['context'], 'context'),
      integrations: objectOrBadInput(body['integrations'], 'integrations'),
      sourceId: principal.sourceId,
    };
    const events: IncomingEvent[] = [];
    const refused: RefusedMessage[] = [];
    messages.forEach((message, index) => {
      try {
        events.push(parseSegmentMessage(message, `batch[${index}]`, envelope));
      } catch (error) {
        if (!(error instanceof GatewayException)) throw error;
        refused.push({ index, messageId: messageIdOf(message), code: error.code, field: error.field ?? `batch[${index}]`, message: error.message });
      }
    });
    if (events.length === 0 && refused.length > 0) throw new BatchRefused(refused);
    // A large batch is an import: it routes behind live customers (see EventOutbox).
    const lane = messages.length > this.config.TRACKING_BULK_BATCH_SIZE ? 'bulk' : 'live';
    return { accepted: await this.accept(principal, events, lane), refused };
  }

  private async accept(principal: TrackingPrincipal, events: IncomingEvent[], lane: RoutingLane = 'live'): Promise<AcceptResult[]> {
    if (events.length === 0) return [];
    if (this.events.routingBacklog > MAX_ROUTING_BACKLOG) throw new TrackingBackpressure(1);
    // An import is taken as fast as it is routed, past a buffer: storing it faster only competes with live customers.
    if (lane === 'bulk' && this.events.bulkRoutingBacklog >= this.config.TRACKING_BULK_MAX_BACKLOG) {
      throw new TrackingBackpressure(
        BULK_RETRY_AFTER_SECONDS,
        `${this.events.bulkRoutingBacklog} events of imports are waiting to be routed (TRACKING_BULK_MAX_BACKLOG ${this.config.TRACKING_BULK_MAX_BACKLOG}); retry in ${BULK_RETRY_AFTER_SECONDS} s`,
      );
    }
    // Over HTTP a source write key names the source; the GraphQL tracking mutations carry none.
    return this.events.acceptAll(principal, events, { source: principal.sourceId ? 'tracking_api' : 'graphql', lane });
  }
}

function messageIdOf(message: unknown): string | undefined {
  const id = isObject(message) ? message['messageId'] : undefined;
  return typeof id === 'string' && unstorableReason(id) === undefined ? id.slice(0, 255) : undefined;
}

function objectOrBadInput(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw GatewayException.badInput(field, 'must be a JSON object');
  return value;
}
