import { createServer, type IncomingHttpHeaders } from 'node:http';
import { baggageUtils, ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig, tracingConfigSchema } from '@continuum/config';
import { otlpTracesUrl, spanExporterFor } from './tracing';

/** One finished span to export. */
function finishedSpan(name: string): ReadableSpan {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.getTracer('test').startSpan(name).end();
  return exporter.getFinishedSpans()[0]!;
}

const configError = (env: Record<string, string>): string[] => {
  try {
    loadConfig('gateway', tracingConfigSchema, env);
    return [];
  } catch (error) {
    return (error as ConfigError).issues;
  }
};

describe('OTLP trace export settings', () => {
  it('posts to the traces endpoint as given, else to <endpoint>/v1/traces, else to the standard local collector', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/custom/path', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318' })).toBe('https://otel.example/custom/path');
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' })).toBe('http://collector:4318/otlp/v1/traces');
    expect(otlpTracesUrl({})).toBe('http://localhost:4318/v1/traces');
  });

  it('refuses, naming the variable, an unknown exporter, an endpoint that is not an http(s) URL and headers that are not key=value pairs', () => {
    expect(configError({ TRACES_EXPORTER: 'jaeger' })).toEqual([expect.stringMatching(/^TRACES_EXPORTER: .*'none' \| 'console' \| 'otlp'/)]);
    expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual([expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/)]);
    expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' })).toEqual([expect.stringMatching(/^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http\(s\) URL/)]);
    for (const headers of ['api-key', 'authorization=Bearer abc', 'x-key=', 'x key=1', 'x-key=a;b', '=abc']) {
      expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: headers }), headers).toEqual([expect.stringMatching(/^OTEL_EXPORTER_OTLP_HEADERS: must be comma-separated key=value pairs with URL-encoded values/)]);
    }
    expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=line%0Abreak' })).toEqual(['OTEL_EXPORTER_OTLP_HEADERS: the value of x-key must decode to printable ASCII, the only thing an HTTP header carries']);
    expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=%C3' })).toEqual(['OTEL_EXPORTER_OTLP_HEADERS: the value of x-key is not valid URL encoding (UTF-8 bytes as %XX)']);
    expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20dXNlcjpwYXNz,x-token=abc==' })).toEqual([]);
    expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_HEADERS: '' })).toEqual([]);
  });

  it('accepts any printable headers written as URL-encoded key=value pairs, and reads them back as they were before encoding', () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 1 });
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), printable, { minKeys: 1, maxKeys: 4 }), (headers) => {
        const text = Object.entries(headers)
          .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
          .join(',');
        const config = loadConfig('worker', tracingConfigSchema, { TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: text });
        expect(baggageUtils.parseKeyPairsIntoRecord(config.OTEL_EXPORTER_OTLP_HEADERS)).toEqual(headers);
      }),
    );
  });

  it('refuses, naming the header, any value that decodes to something an HTTP header cannot carry', () => {
    const unprintable = fc.string({ unit: 'binary', minLength: 1 }).filter((value) => !/^[\x20-\x7e]+$/.test(value));
    fc.assert(
      fc.property(unprintable, (value) => {
        expect(configError({ TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: `x-key=${encodeURIComponent(value)}` })).toEqual([
          'OTEL_EXPORTER_OTLP_HEADERS: the value of x-key must decode to printable ASCII, the only thing an HTTP header carries',
        ]);
      }),
    );
  });

  it('exports spans over OTLP/HTTP JSON to the configured URL with the configured headers', async () => {
    const received: Array<{ url?: string; headers: IncomingHttpHeaders; body: { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> } }> = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ url: request.url, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const config = loadConfig('gateway', tracingConfigSchema, {
        TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${(server.address() as { port: number }).port}/tenant-7/traces`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret%2Cwith%20comma%3B%3D,x-tenant=7',
      });
      const exporter = spanExporterFor(config)!;
      const result = await new Promise<ExportResult>((resolve) => exporter.export([finishedSpan('POST /v1/track')], resolve));
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(received).toHaveLength(1);
      expect(received[0]!.url).toBe('/tenant-7/traces');
      expect(received[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': 's3cret,with comma;=', 'x-tenant': '7' });
      expect(received[0]!.body.resourceSpans[0]!.scopeSpans[0]!.spans.map((span) => span.name)).toEqual(['POST /v1/track']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('traces nothing with `none`, and writes JSON lines with `console`', () => {
    expect(spanExporterFor({ TRACES_EXPORTER: 'none' })).toBeUndefined();
    const lines: string[] = [];
    spanExporterFor({ TRACES_EXPORTER: 'console' }, (line) => lines.push(line))!.export([finishedSpan('route Cart Updated')], () => undefined);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'span', name: 'route Cart Updated' });
  });
});
