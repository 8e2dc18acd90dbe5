import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore, ProfileStore, SourceKeyStore } from '@continuum/data';
import { waitFor } from '@continuum/testing';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, journeyDescriptors, type JourneyWorker } from '@continuum/worker';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from './test-support/gateway-fixture';

// One trace from the HTTP request through routing, signalWithStart and the workflow run to the
// activity that calls the provider: gateway and worker in this process, sharing one exporter.
describe('tracing', () => {
  const spans = new InMemorySpanExporter();
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;
  let writeKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      spanExporter: spans,
      beforeStart: async (ds) => {
        await new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'tracing-test');
        await new ProfileStore(ds).mergeTraits(DEFAULT_WORKSPACE_ID, 'tess', { first_name: 'Tess', phone: '+14155550123' }, { phone: '+14155550123' });
        writeKey = await new SourceKeyStore(ds).createWriteKey(DEFAULT_WORKSPACE_ID, 'tracing-test');
      },
    });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    const config = await workerConfigFor(gw, emulatorUrl, { ABANDONED_CART_IDLE_TIMEOUT: '1s' });
    worker = await createJourneyWorker(config, { spanExporter: spans });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await emulator?.close();
    await gw?.teardown();
  });

  it('follows one trace id from the tracking API request to the SMS send activity', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${gw.url}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        // The caller's own trace is continued.
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ userId: 'tess', event: 'Cart Updated', properties: { cart_id: 't-1', items: ['Scarf'] } }),
    });
    expect(response.status).toBe(200);
    // The tracking API answers once the event is stored; routing follows.
    const handle = gw.temporal.workflow.getHandle('journey/abandoned-cart/tess/t-1');
    await waitFor('the instance', () => handle.describe().then(() => true, () => false), 10_000, 50);
    await expect(handle.result()).resolves.toMatchObject({ status: 'completed' });
    expect(emulator.messages()).toHaveLength(1);

    const named = (name: string): ReadableSpan => {
      const span = spans.getFinishedSpans().find((candidate) => candidate.name === name && candidate.spanContext().traceId === traceId);
      expect(span, `span "${name}" in trace ${traceId}; have: ${spans.getFinishedSpans().map((s) => s.name).join(', ')}`).toBeDefined();
      return span!;
    };
    await waitFor('the activity span', async () => spans.getFinishedSpans().some((span) => span.name === 'RunActivity:sendSms'), 10_000, 50);
    const http = named('POST /v1/track');
    const route = named('route Cart Updated');
    const signalWithStart = named('SignalWithStartWorkflow:abandonedCart');
    const run = named('RunWorkflow:abandonedCart');
    const send = named('RunActivity:sendSms');
    expect(http.parentSpanId).toBe('00f067aa0ba902b7');
    expect(route.parentSpanId).toBe(http.spanContext().spanId);
    expect(signalWithStart.parentSpanId).toBe(route.spanContext().spanId);
    expect(run.parentSpanId).toBe(signalWithStart.spanContext().spanId);
    expect(send.attributes).toBeDefined();
    expect(route.attributes['continuum.delivered_to']).toEqual(['journey/abandoned-cart/tess/t-1']);
  });
});
