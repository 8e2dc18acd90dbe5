import { ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { inActiveSpan } from './tracing';

function tracerWithExporter() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), exporter };
}

describe('inActiveSpan', () => {
  it('ends the span and returns what the work returns', async () => {
    const { tracer, exporter } = tracerWithExporter();
    const result = await inActiveSpan(tracer, 'work', {}, ROOT_CONTEXT, async (span) => {
      span.setAttribute('answer', 42);
      return 42;
    });
    expect(result).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('work');
    expect(span?.attributes).toEqual({ answer: 42 });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a failure on the span, ends it and rethrows', async () => {
    const { tracer, exporter } = tracerWithExporter();
    await expect(inActiveSpan(tracer, 'work', {}, ROOT_CONTEXT, () => Promise.reject(new Error('routing failed')))).rejects.toThrow('routing failed');
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'routing failed' });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
  });
});
