import { describe, expect, it } from 'vitest';
import { GatewayException } from '../common/gateway-exception';
import { correctTimestamp, MAX_EVENT_BYTES, parseSegmentMessage, type MessageEnvelope } from './segment-message';

const receivedAt = new Date('2025-03-01T12:00:00.000Z');
const envelope: MessageEnvelope = { receivedAt };

function errorOf(run: () => unknown): GatewayException {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayException) return error;
    throw error;
  }
  throw new Error('expected a GatewayException');
}

describe('Segment messages', () => {
  describe('clock-skew correction', () => {
    it('moves the event back from the receive time by what elapsed on the client between timestamp and sentAt', () => {
      // The client's clock is two hours behind; the event happened 30 s before it was sent.
      const sentAt = new Date('2025-03-01T10:00:00.000Z');
      const original = new Date('2025-03-01T09:59:30.000Z');
      expect(correctTimestamp(original, sentAt, receivedAt).toISOString()).toBe('2025-03-01T11:59:30.000Z');
    });

    it('keeps the timestamp without sentAt, and uses the receive time without a timestamp', () => {
      const original = new Date('2025-02-01T00:00:00.000Z');
      expect(correctTimestamp(original, undefined, receivedAt)).toBe(original);
      expect(correctTimestamp(undefined, new Date(), receivedAt)).toBe(receivedAt);
    });

    it('takes the batch sentAt unless the message has its own', () => {
      const batch = { ...envelope, sentAt: '2025-03-01T12:10:00.000Z' };
      const message = { userId: 'u', event: 'E', timestamp: '2025-03-01T12:09:00.000Z' };
      expect(parseSegmentMessage(message, '', batch, 'track').timestamp.toISOString()).toBe('2025-03-01T11:59:00.000Z');
      const own = { ...message, sentAt: '2025-03-01T12:09:30.000Z' };
      expect(parseSegmentMessage(own, '', batch, 'track').timestamp.toISOString()).toBe('2025-03-01T11:59:30.000Z');
    });

    it('refuses a timestamp a day ahead even after correction', () => {
      const error = errorOf(() => parseSegmentMessage({ type: 'track', userId: 'u', event: 'E', timestamp: '2025-03-03T12:00:00Z' }, 'batch[0]', envelope));
      expect(error).toMatchObject({ field: 'batch[0].timestamp' });
    });
  });

  it('makes anon:<anonymousId> the customer when there is no userId, and keeps the anonymousId', () => {
    const event = parseSegmentMessage({ anonymousId: 'dev-7', name: 'Home' }, '', envelope, 'page');
    expect(event).toMatchObject({ userId: 'anon:dev-7', anonymousId: 'dev-7', type: 'page', name: 'Home' });
    expect(parseSegmentMessage({ userId: 'ana', anonymousId: 'dev-7', event: 'E' }, '', envelope, 'track').userId).toBe('ana');
    expect(parseSegmentMessage({ userId: 42, event: 'E' }, '', envelope, 'track').userId).toBe('42');
  });

  it('puts batch context and integrations under each message own, and generates a missing messageId', () => {
    const event = parseSegmentMessage(
      { type: 'track', userId: 'u', event: 'E', context: { locale: 'pt-BR' } },
      'batch[0]',
      { ...envelope, context: { locale: 'en', app: 'shop' }, integrations: { All: true }, sourceId: 'src' },
    );
    expect(event).toMatchObject({ context: { locale: 'pt-BR', app: 'shop' }, integrations: { All: true }, sourceId: 'src' });
    expect(event.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('normalises identify phone and email for the profile', () => {
    const event = parseSegmentMessage({ userId: 'u', traits: { phone: '+1 (415) 555-0100', email: ' A@B.co ' } }, '', envelope, 'identify');
    expect(event.identities).toEqual({ phone: '+14155550100', email: 'a@b.co' });
  });

  it.each([
    [{ userId: 'u', event: 'E', properties: [1] }, 'properties'],
    [{ userId: 'u', event: 7 }, 'event'],
    [{ userId: 'u', event: '   ' }, 'event'],
    [{ userId: { id: 1 }, event: 'E' }, 'userId'],
    [{ userId: 'x'.repeat(256), event: 'E' }, 'userId'],
    [{ userId: 'u', event: 'E', messageId: ['m'] }, 'messageId'],
    [{ userId: 'u', event: 'E', integrations: 'all' }, 'integrations'],
  ])('names the bad field of %j', (message, field) => {
    expect(errorOf(() => parseSegmentMessage(message, '', envelope, 'track'))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses an event over 32 KB, naming it', () => {
    const message = { type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(MAX_EVENT_BYTES) } };
    expect(errorOf(() => parseSegmentMessage(message, 'batch[4]', envelope)).message).toMatch(/^batch\[4\]: the event is \d+ bytes; the limit is 32 KB/);
  });
});
