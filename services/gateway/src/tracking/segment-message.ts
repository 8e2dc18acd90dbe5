import { randomUUID } from 'node:crypto';
import { GatewayException } from '../common/gateway-exception';
import type { IncomingEvent } from '../events/events.service';
import { customerFieldsOrBadInput } from '../common/event-validation';
import { assertStorableText } from '../common/storable-text';

/** The calls of Segment's tracking API spec. */
export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** Segment's limits: 32 KB per event, 500 KB per batch request. */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

/** The customer id of an event without userId, until identity resolution merges profiles. */
export const ANONYMOUS_PREFIX = 'anon:';

const MAX_ID_LENGTH = 255;
const MAX_NAME_LENGTH = 200;
/** Corrected timestamps further ahead than this are a client error, not the future. */
const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** What a request adds to each of its messages. */
export interface MessageEnvelope {
  /** When the gateway received the request (its own clock). */
  receivedAt: Date;
  /** The batch's sentAt (client clock); a message's own sentAt wins. */
  sentAt?: unknown;
  /** Batch-level context and integrations, under each message's own. */
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  /** The source write key the request authenticated with. */
  sourceId?: string;
}

type Json = Record<string, unknown>;

/**
 * Validates one Segment message and turns it into an event to accept. `path` names the message in
 * errors (`batch[3]`, or '' for a single call): every error names the offending field, e.g.
 * `batch[3].userId: either userId or anonymousId is required`.
 */
export function parseSegmentMessage(raw: unknown, path: string, envelope: MessageEnvelope, callType?: SegmentType): IncomingEvent {
  const field = (name: string) => (path ? `${path}.${name}` : name);
  if (!isObject(raw)) throw GatewayException.badInput(path || 'body', 'must be a JSON object');
  // Before anything else reads it: every string at any depth must be storable exactly.
  assertStorableText(raw, path);
  const bytes = Buffer.byteLength(JSON.stringify(raw));
  if (bytes > MAX_EVENT_BYTES) {
    throw GatewayException.badInput(path || 'body', `the event is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES / 1024} KB per event`);
  }

  const type = callType ?? raw['type'];
  if (typeof type !== 'string' || !(SEGMENT_TYPES as readonly string[]).includes(type)) {
    throw GatewayException.badInput(field('type'), `must be one of ${SEGMENT_TYPES.join(', ')}`);
  }
  const segmentType = type as SegmentType;

  const userId = optionalId(raw['userId'], field('userId'));
  const anonymousId = optionalId(raw['anonymousId'], field('anonymousId'));
  if (segmentType === 'alias') {
    if (userId === undefined) throw GatewayException.badInput(field('userId'), 'is required for alias');
  } else if (userId === undefined && anonymousId === undefined) {
    throw GatewayException.badInput(field('userId'), 'either userId or anonymousId is required');
  }

  const messageId = optionalId(raw['messageId'], field('messageId'), { anyCharacters: true }) ?? randomUUID();
  const { timestamp, originalTimestamp, sentAt } = timestampsOf(raw, field, envelope);
  const context = mergeObjects(envelope.context, optionalObject(raw['context'], field('context')));
  const integrations = mergeObjects(envelope.integrations, optionalObject(raw['integrations'], field('integrations')));

  const event: IncomingEvent = {
    messageId,
    userId: userId ?? `${ANONYMOUS_PREFIX}${anonymousId}`,
    type: segmentType,
    properties: {},
    timestamp,
    receivedAt: envelope.receivedAt,
    ...(anonymousId !== undefined ? { anonymousId } : {}),
    ...(context ? { context } : {}),
    ...(integrations ? { integrations } : {}),
    ...(sentAt ? { sentAt } : {}),
    ...(originalTimestamp ? { originalTimestamp } : {}),
    ...(envelope.sourceId ? { sourceId: envelope.sourceId } : {}),
  };

  switch (segmentType) {
    case 'track': {
      const name = raw['event'];
      if (name === undefined || name === null) throw GatewayException.badInput(field('event'), 'is required for track');
      event.name = requiredName(name, field('event'));
      event.properties = optionalObject(raw['properties'], field('properties')) ?? {};
      break;
    }
    case 'identify': {
      const traits = optionalObject(raw['traits'], field('traits')) ?? {};
      event.traits = traits;
      Object.assign(event, customerFieldsOrBadInput(traits, context, field('traits')));
      break;
    }
    case 'page':
    case 'screen': {
      if (raw['name'] !== undefined && raw['name'] !== null) event.name = requiredName(raw['name'], field('name'));
      const properties = optionalObject(raw['properties'], field('properties')) ?? {};
      const category = raw['category'];
      if (category !== undefined && category !== null && typeof category !== 'string') {
        throw GatewayException.badInput(field('category'), 'must be a string');
      }
      // Segment's (deprecated) top-level category is kept with the properties.
      event.properties = typeof category === 'string' && !('category' in properties) ? { ...properties, category } : properties;
      break;
    }
    case 'group': {
      const groupId = optionalId(raw['groupId'], field('groupId'), { anyCharacters: true });
      if (groupId === undefined) throw GatewayException.badInput(field('groupId'), 'is required for group');
      event.groupId = groupId;
      event.traits = optionalObject(raw['traits'], field('traits')) ?? {};
      break;
    }
    case 'alias': {
      const previousId = optionalId(raw['previousId'], field('previousId'), { anyCharacters: true });
      if (previousId === undefined) throw GatewayException.badInput(field('previousId'), 'is required for alias');
      event.previousId = previousId;
      break;
    }
  }
  return event;
}

/**
 * Segment's clock-skew correction: `timestamp` and `sentAt` come from the client's clock, so
 * their difference is real; the event happened that long before the gateway received it.
 */
export function correctTimestamp(original: Date | undefined, sentAt: Date | undefined, receivedAt: Date): Date {
  if (!original) return receivedAt;
  if (!sentAt) return original;
  return new Date(receivedAt.getTime() - (sentAt.getTime() - original.getTime()));
}

function timestampsOf(raw: Json, field: (name: string) => string, envelope: MessageEnvelope) {
  const originalTimestamp = optionalDate(raw['timestamp'], field('timestamp'));
  const ownSentAt = optionalDate(raw['sentAt'], field('sentAt'));
  const sentAt = ownSentAt ?? optionalDate(envelope.sentAt, 'sentAt');
  const timestamp = correctTimestamp(originalTimestamp, sentAt, envelope.receivedAt);
  if (timestamp.getTime() - envelope.receivedAt.getTime() > MAX_FUTURE_SKEW_MS) {
    throw GatewayException.badInput(field('timestamp'), `${originalTimestamp!.toISOString()} is more than a day in the future`);
  }
  return { timestamp, originalTimestamp, sentAt };
}

function optionalId(value: unknown, field: string, options: { anyCharacters?: boolean } = {}): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') throw GatewayException.badInput(field, 'must be a string');
  const id = value.trim();
  if (id === '') return undefined;
  if (id.length > MAX_ID_LENGTH) throw GatewayException.badInput(field, `must be at most ${MAX_ID_LENGTH} characters`);
  // Customer ids appear in workflow ids (journey/<journey>/<customer>/<key>).
  if (!options.anyCharacters && /[/\s]/.test(id)) throw GatewayException.badInput(field, `"${id}" must not contain "/" or whitespace`);
  return id;
}

function requiredName(value: unknown, field: string): string {
  if (typeof value !== 'string') throw GatewayException.badInput(field, 'must be a string');
  const name = value.trim();
  if (name === '') throw GatewayException.badInput(field, 'must not be empty');
  if (name.length > MAX_NAME_LENGTH) throw GatewayException.badInput(field, `must be at most ${MAX_NAME_LENGTH} characters`);
  return name;
}

function optionalObject(value: unknown, field: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw GatewayException.badInput(field, 'must be a JSON object');
  return value;
}

function optionalDate(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value !== 'string' || !ISO_8601.test(value.trim()) || Number.isNaN(new Date(value.trim()).getTime())) {
    throw GatewayException.badInput(field, `${JSON.stringify(value)} is not an ISO-8601 date, e.g. 2024-05-01T12:00:00.000Z`);
  }
  return new Date(value.trim());
}

function mergeObjects(outer: Json | undefined, inner: Json | undefined): Json | undefined {
  if (!outer) return inner;
  if (!inner) return outer;
  return { ...outer, ...inner };
}

/** The profile's phone (E.164) and email from identify traits; null removes them. */
export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}
