import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { TemporalConfig } from '@continuum/config';
import { payloadConverterPath } from './payload-owner-context';
import { activeTracing, tracingClientInterceptors } from './tracing';

/**
 * The data converter of every Continuum client and worker: payloads marked with their owner
 * (payload-owner.ts), failure messages carried as payloads, and, with a root key configured, both
 * encrypted by `codec` under that owner's key.
 */
export function continuumDataConverter(codec?: PayloadCodec): DataConverter {
  return { payloadConverterPath, failureConverterPath: payloadConverterPath, ...(codec ? { payloadCodecs: [codec] } : {}) };
}

export interface TemporalClientHandle {
  client: Client;
  close(): Promise<void>;
}

/**
 * The SDK's gRPC retries (its defaults: up to 10 attempts, backoff up to 5 s), which stop once the
 * client closes. A retry is a timer that starts a new call on the connection's channel: one firing
 * after the channel closed throws "Channel has been shut down" from the timer (an uncaught
 * exception) and its call never settles. So closing first stops further retries, then waits for the
 * retry timers already set to fire (their calls then fail once and end), and only then closes.
 */
export function closableGrpcRetries(): { interceptor: ReturnType<typeof makeGrpcRetryInterceptor>; close(): Promise<void> } {
  const defaults = defaultGrpcRetryOptions();
  let closing = false;
  /** When the last retry timer set will have fired. */
  let lastRetryAt = 0;
  const interceptor = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && defaults.retryableDecider(attempt, status),
    delayFunction: (attempt, status) => {
      const delay = defaults.delayFunction(attempt, status);
      lastRetryAt = Math.max(lastRetryAt, Date.now() + delay);
      return delay;
    },
  });
  return {
    interceptor,
    async close() {
      closing = true;
      const wait = lastRetryAt - Date.now();
      if (wait > 0) await sleep(wait + 50);
    },
  };
}

/** Connects a Temporal client; fails with the address in the message when the server is unreachable. */
export async function connectTemporalClient(config: TemporalConfig, options: { codec?: PayloadCodec } = {}): Promise<TemporalClientHandle> {
  if (config.CONTINUUM_ROOT_KEY && !options.codec) {
    throw new Error('CONTINUUM_ROOT_KEY is set but this Temporal client was given no payload codec');
  }
  const retries = closableGrpcRetries();
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '10s', interceptors: [retries.interceptor] });
  } catch (error) {
    throw new Error(`Cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
  }
  const tracing = activeTracing();
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: continuumDataConverter(options.codec),
    // With tracing installed, starts and signals carry the caller's trace into the workflow.
    ...(tracing ? { interceptors: { workflow: tracingClientInterceptors(tracing) } } : {}),
  });
  // Calls under way when it closes (a gateway stopped while Temporal is unreachable) fail and end.
  return { client, close: () => retries.close().then(() => connection.close()) };
}
