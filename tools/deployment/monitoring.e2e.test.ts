import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { createPayloadCodec, DEFAULT_WORKSPACE_ID, openDataSource, ProfileStore, type DataSource } from '@continuum/data';
import { continuumDataConverter } from '@continuum/temporal';
import { freePort, stackEngineOptions, startStack, waitFor, type Stack } from '@continuum/testing';
import { readPrometheusConfig, monitoringExpressions } from './monitoring-files';
import { parseExposition, selects, seriesSelectors, type ScrapedSeries } from './promql';

/** A span as an OpenTelemetry collector receives it over OTLP/HTTP (JSON encoding). */
interface CollectedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

/**
 * The receiving end of an OpenTelemetry collector: OTLP/HTTP JSON on POST /v1/traces, answering
 * 401 to an export without the expected authorization header, as a hosted collector would.
 */
class OtlpCollector {
  readonly spans: CollectedSpan[] = [];
  readonly refused: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async listen(authorization: string): Promise<OtlpCollector> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const collector = new OtlpCollector(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/v1/traces' || request.headers['authorization'] !== authorization) {
          collector.refused.push(`${request.method} ${request.url} authorization=${request.headers['authorization']}`);
          response.writeHead(request.url === '/v1/traces' ? 401 : 404).end();
          return;
        }
        collector.receive(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    return collector;
  }

  private receive(body: OtlpTraces): void {
    for (const { resource, scopeSpans } of body.resourceSpans) {
      const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
      for (const { spans } of scopeSpans) {
        for (const span of spans) this.spans.push({ service, name: span.name, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined });
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface OtlpTraces {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string }> }>;
  }>;
}

// The stack as `npm start` runs it (gateway and worker processes, PostgreSQL, the Twilio emulator)
// on the engine a deployment runs, the real Temporal server on PostgreSQL (engine mode `server`, as
// in docker-compose.yml), exporting traces over OTLP to a collector in this test, and scraped as the
// Prometheus of deploy/prometheus/prometheus.yml scrapes it: gateway, worker and Temporal server.
describe('operable in production: traces over OTLP, and what Prometheus scrapes', { timeout: 180_000 }, () => {
  const authorization = 'Bearer collector-token';
  let dataDir: string;
  let collector: OtlpCollector;
  let stack: Stack;
  let connection: Connection;
  let dataSource: DataSource;
  let temporal: Client;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'continuum-monitoring-e2e-'));
    collector = await OtlpCollector.listen(authorization);
    const temporalPort = await freePort();
    stack = await startStack({
      dataDir,
      ...(await stackEngineOptions('server', temporalPort)),
      ports: { temporal: temporalPort, temporalMetrics: await freePort(), postgres: await freePort(), gateway: await freePort(), emulator: await freePort() },
      serviceEnv: {
        LOG_LEVEL: 'warn',
        ABANDONED_CART_IDLE_TIMEOUT: '1s',
        TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(authorization)}`,
        // The batch span processor's standard setting: export every 100 ms instead of every 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
    dataSource = await openDataSource(stack.databaseUrl, { poolSize: 2 });
    await new ProfileStore(dataSource).mergeTraits(DEFAULT_WORKSPACE_ID, 'tess', { first_name: 'Tess', phone: '+14155550123' }, { phone: '+14155550123' });
    connection = await Connection.connect({ address: stack.temporal.address });
    // The stack encrypts payloads: this client decodes them as the gateway's does.
    temporal = new Client({ connection, dataConverter: continuumDataConverter(createPayloadCodec(dataSource, stack.rootKey)) });
  });

  afterAll(async () => {
    await connection?.close();
    await dataSource?.destroy();
    await stack?.stop();
    await collector?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports one trace from the tracking API request to the SMS send to the collector the operator names', async () => {
    // The caller's own trace, continued.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const response = await fetch(`${stack.gatewayUrl}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${stack.devWriteKey}:`).toString('base64')}`,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({ userId: 'tess', event: 'Cart Updated', properties: { cart_id: 'o-1', items: ['Scarf'] } }),
    });
    expect(response.status).toBe(200);
    const handle = temporal.workflow.getHandle('journey/abandoned-cart/tess/o-1');
    await waitFor('the instance', () => handle.describe().then(() => true, () => false), 20_000, 100);
    await expect(handle.result()).resolves.toMatchObject({ status: 'completed' });

    // From the provider call up to the request, following parents: each service exports in its own batches.
    const chainToRequest = (): CollectedSpan[] => {
      const byId = new Map(collector.spans.filter((span) => span.traceId === traceId).map((span) => [span.spanId, span]));
      const chain: CollectedSpan[] = [];
      for (let span = collector.spans.find((candidate) => candidate.name === 'RunActivity:sendSms' && candidate.traceId === traceId); span; span = span.parentSpanId ? byId.get(span.parentSpanId) : undefined) {
        chain.unshift(span);
      }
      return chain;
    };
    await waitFor('the trace, from the send activity up to the request, at the collector', async () => chainToRequest()[0]?.parentSpanId === callerSpanId, 20_000, 100).catch((error: Error) => {
      throw new Error(`${error.message}; chain so far: ${chainToRequest().map((span) => span.name).join(' > ')}; received: ${collector.spans.map((span) => span.name).join(', ')}`);
    });
    expect(collector.refused).toEqual([]);
    const chain = chainToRequest();
    const names = chain.map((span) => `${span.service} ${span.name}`);
    expect(names.filter((name) => /POST \/v1\/track|route Cart Updated|SignalWithStartWorkflow|RunWorkflow|StartActivity:sendSms|RunActivity:sendSms/.test(name))).toEqual([
      'continuum-gateway POST /v1/track',
      'continuum-gateway route Cart Updated',
      'continuum-gateway SignalWithStartWorkflow:abandonedCart',
      'continuum-worker RunWorkflow:abandonedCart',
      'continuum-worker StartActivity:sendSms',
      'continuum-worker RunActivity:sendSms',
    ]);
  });

  it('exposes every series the dashboard and the alert rules select, in a real scrape of the gateway, the worker and Temporal', async () => {
    // An exit, so that the exits panel has its series too (the send, entry and completion came above).
    const batch = await fetch(`${stack.gatewayUrl}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${stack.devWriteKey}:`).toString('base64')}` },
      body: JSON.stringify({
        batch: [
          { type: 'track', userId: 'tess', event: 'Cart Updated', properties: { cart_id: 'o-2', items: ['Hat'] } },
          { type: 'track', userId: 'tess', event: 'Order Completed', properties: { cart_id: 'o-2' } },
        ],
      }),
    });
    expect(batch.status).toBe(200);
    const exited = temporal.workflow.getHandle('journey/abandoned-cart/tess/o-2');
    await waitFor('the second instance', () => exited.describe().then(() => true, () => false), 20_000, 100);
    await expect(exited.result()).resolves.toMatchObject({ status: 'exited' });

    // Each series labelled with its scrape job, as Prometheus labels it (deploy/prometheus/prometheus.yml).
    const scrape = async (job: string, url: string): Promise<ScrapedSeries[]> => {
      const response = await fetch(url);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      return parseExposition(await response.text()).map((series) => ({ ...series, labels: { ...series.labels, job } }));
    };
    const value = (series: ScrapedSeries[], text: string): number | undefined => {
      const [wanted] = parseExposition(`${text} 0\n`);
      return series.find((candidate) => {
        const { job: _job, ...labels } = candidate.labels;
        return candidate.metric === wanted!.metric && JSON.stringify(labels) === JSON.stringify(wanted!.labels);
      })?.value;
    };
    // The emulator's status callbacks reach the gateway a moment after the send.
    let gateway: ScrapedSeries[] = [];
    await waitFor('the delivered report', async () => {
      gateway = await scrape('continuum-gateway', `${stack.gatewayUrl}/metrics`);
      return value(gateway, 'continuum_delivery_reports_total{channel="sms",status="delivered"}') === 1;
    }, 20_000, 100);
    const worker = await scrape('continuum-worker', `${stack.workerUrl}/metrics`);
    const temporalServer = await scrape('continuum-temporal', stack.temporal.metricsUrl!);
    expect(value(worker, 'continuum_sends_total{channel="sms",status="sent"}')).toBe(1);
    expect(value(worker, 'continuum_journey_entries_total{journey="abandoned-cart"}')).toBe(2);

    // Prometheus adds `instance` (and `job`, above) to every scraped series, and makes `up` for every target.
    const jobs = new Set(readPrometheusConfig().scrape_configs.map((config) => config.job_name));
    const targetLabels = new Set(['instance']);
    const scraped = [...gateway, ...worker, ...temporalServer];
    const unmatched: string[] = [];
    const expressions = monitoringExpressions();
    for (const { where, expr } of expressions) {
      for (const selector of seriesSelectors(expr)) {
        if (selector.metric === 'up') {
          const job = selector.matchers.find((matcher) => matcher.label === 'job');
          if (!job || job.op !== '=' || !jobs.has(job.value)) unmatched.push(`${where}: up without a scrape job of prometheus.yml`);
        } else if (!scraped.some((series) => selects(selector, series, targetLabels))) {
          unmatched.push(`${where}: ${selector.metric}{${selector.matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(',')}}`);
        }
      }
    }
    expect(unmatched).toEqual([]);
    expect(expressions.length).toBeGreaterThan(30);
  });
});
