import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { baggageUtils, ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor, WorkflowSignalWithStartInput } from '@temporalio/client';
import type { Next } from '@temporalio/common';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TracingConfig } from '@continuum/config';

/** The Temporal header `@temporalio/interceptors-opentelemetry` carries the trace context in. */
const TRACE_HEADER = '_tracer-data';

export interface Tracing {
  tracer: Tracer;
  resource: Resource;
  /**
   * Takes spans made outside this process's tracer (the worker's workflow spans, which come out of
   * the workflow sandbox through a sink) down the same pipeline: batched like the others for OTLP.
   */
  spanExporter: SpanExporter;
  /** Sends the spans still waiting in a batch. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting. */
  shutdown(): Promise<void>;
}

let installed: Tracing | undefined;

/**
 * Runs `work` in a new active span under `parent`: a failure is recorded on the span (exception,
 * ERROR status with its message) and rethrown; the span ends either way.
 */
export function inActiveSpan<T>(tracer: Tracer, name: string, options: SpanOptions, parent: Context, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Registers the process-wide tracer provider (W3C trace context, AsyncLocalStorage context) that
 * exports every span to `exporter`: one at a time as they end, or, with `batch` (an exporter that
 * makes a network call per export, like OTLP), in batches sent every few seconds. Once per
 * process; later calls return the first installation.
 */
export function installTracing(serviceName: string, exporter: SpanExporter, options: { batch?: boolean } = {}): Tracing {
  if (installed) return installed;
  const resource = new Resource({ 'service.name': serviceName });
  const provider = new BasicTracerProvider({ resource });
  const processor = options.batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
  provider.addSpanProcessor(processor);
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  installed = {
    tracer: trace.getTracer('continuum'),
    resource,
    spanExporter: new SpanProcessorExporter(processor),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
  return installed;
}

/** Installs tracing as configured: the exporter TRACES_EXPORTER names, batched for OTLP. */
export function installConfiguredTracing(serviceName: string, config: TracingConfig, write?: (line: string) => void): Tracing | undefined {
  const exporter = spanExporterFor(config, write);
  return exporter ? installTracing(serviceName, exporter, { batch: config.TRACES_EXPORTER === 'otlp' }) : undefined;
}

/** The installed tracing, if any: callers add spans and Temporal interceptors only then. */
export function activeTracing(): Tracing | undefined {
  return installed;
}

/**
 * `TRACES_EXPORTER`: `otlp` posts spans to an OpenTelemetry collector over OTLP/HTTP (JSON) at
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else
 * the standard `http://localhost:4318/v1/traces`, with `OTEL_EXPORTER_OTLP_HEADERS`; `console`
 * writes spans as JSON lines on stdout; `none` traces nothing.
 */
export function spanExporterFor(config: TracingConfig, write: (line: string) => void = (line) => process.stdout.write(line)): SpanExporter | undefined {
  switch (config.TRACES_EXPORTER) {
    case 'none':
      return undefined;
    case 'console':
      return new JsonLinesSpanExporter(write);
    case 'otlp':
      return new OTLPTraceExporter({ url: otlpTracesUrl(config), headers: baggageUtils.parseKeyPairsIntoRecord(config.OTEL_EXPORTER_OTLP_HEADERS) });
  }
}

/** Where OTLP/HTTP spans are posted, by the OpenTelemetry exporter specification's rules. */
export function otlpTracesUrl(config: Pick<TracingConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** An exporter that hands finished spans to a span processor (and so to its exporter, batched or not). */
class SpanProcessorExporter implements SpanExporter {
  constructor(private readonly processor: SpanProcessor) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) this.processor.onEnd(span);
    done({ code: ExportResultCode.SUCCESS });
  }

  forceFlush(): Promise<void> {
    return this.processor.forceFlush();
  }

  // The provider owns the processor and shuts it down.
  async shutdown(): Promise<void> {}
}

/** Spans as JSON lines (`"msg":"span"`) next to the service's logs, one per finished span. */
export class JsonLinesSpanExporter implements SpanExporter {
  constructor(private readonly write: (line: string) => void) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) {
      const { traceId, spanId } = span.spanContext();
      this.write(
        `${JSON.stringify({
          time: new Date(hrTimeToMilliseconds(span.startTime)).toISOString(),
          level: 'info',
          msg: 'span',
          name: span.name,
          traceId,
          spanId,
          parentSpanId: span.parentSpanId,
          service: span.resource.attributes['service.name'],
          kind: SpanKind[span.kind],
          durationMs: hrTimeToMilliseconds(span.duration),
          status: SpanStatusCode[span.status.code],
          attributes: span.attributes,
        })}\n`,
      );
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}
}

/**
 * `@temporalio/interceptors-opentelemetry` traces start and signal but not signalWithStart (what
 * the gateway uses): this adds a client span for it and passes the trace context in the same header.
 */
class SignalWithStartTracingInterceptor implements WorkflowClientInterceptor {
  constructor(private readonly tracer: Tracer) {}

  signalWithStart(input: WorkflowSignalWithStartInput, next: Next<WorkflowClientInterceptor, 'signalWithStart'>): Promise<string> {
    return inActiveSpan(this.tracer, `SignalWithStartWorkflow:${input.workflowType}`, { kind: SpanKind.CLIENT }, context.active(), async (span) => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      const headers: Headers = { ...input.headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) };
      const runId = await next({ ...input, headers });
      span.setAttribute('run_id', runId);
      return runId;
    });
  }
}

/** Client interceptors that trace workflow starts and signals, for `new Client({ interceptors })`. */
export function tracingClientInterceptors(tracing: Tracing): WorkflowClientInterceptor[] {
  return [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer }), new SignalWithStartTracingInterceptor(tracing.tracer)];
}
