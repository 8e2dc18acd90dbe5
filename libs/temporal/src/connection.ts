import { Client, Connection } from '@temporalio/client';
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

/** Connects a Temporal client; fails with the address in the message when the server is unreachable. */
export async function connectTemporalClient(config: TemporalConfig, options: { codec?: PayloadCodec } = {}): Promise<TemporalClientHandle> {
  if (config.CONTINUUM_ROOT_KEY && !options.codec) {
    throw new Error('CONTINUUM_ROOT_KEY is set but this Temporal client was given no payload codec');
  }
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '10s' });
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
  return { client, close: () => connection.close() };
}
