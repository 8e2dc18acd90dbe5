import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor, WorkflowSignalWithStartInput } from '@temporalio/client';
import type { Next } from '@temporalio/common';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

/** The Temporal header `@temporalio/interceptors-opentelemetry` carries the trace context in. */
const TRACE_HEADER = '_tracer-data';

export interface Tracing {
  tracer: Tracer;
  resource: Resource;
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
 * exports every span to `exporter`. Once per process; later calls return the first installation.
 */
export function installTracing(serviceName: string, exporter: SpanExporter): Tracing {
  if (installed) return installed;
  const resource = new Resource({ 'service.name': serviceName });
  const provider = new BasicTracerProvider({ resource });
  provider.addSpanProcessor(new SimpleSpanProcessor(exporter));
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  installed = { tracer: trace.getTracer('continuum'), resource, shutdown: () => provider.shutdown() };
  return installed;
}

/** The installed tracing, if any: callers add spans and Temporal interceptors only then. */
export function activeTracing(): Tracing | undefined {
  return installed;
}

/** `TRACES_EXPORTER`: `console` writes spans as JSON lines on stdout; `none` traces nothing. */
export function spanExporterFor(name: 'none' | 'console', write: (line: string) => void = (line) => process.stdout.write(line)): SpanExporter | undefined {
  return name === 'console' ? new JsonLinesSpanExporter(write) : undefined;
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
