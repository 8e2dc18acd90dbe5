import { Client, Connection } from '@temporalio/client';
import type { TemporalConfig } from '@continuum/config';
import { activeTracing, tracingClientInterceptors } from './tracing';

export interface TemporalClientHandle {
  client: Client;
  close(): Promise<void>;
}

/** Connects a Temporal client; fails with the address in the message when the server is unreachable. */
export async function connectTemporalClient(config: TemporalConfig): Promise<TemporalClientHandle> {
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
    // With tracing installed, starts and signals carry the caller's trace into the workflow.
    ...(tracing ? { interceptors: { workflow: tracingClientInterceptors(tracing) } } : {}),
  });
  return { client, close: () => connection.close() };
}
