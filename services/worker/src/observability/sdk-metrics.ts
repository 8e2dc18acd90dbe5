import { createServer } from 'node:net';

/** A free TCP port on loopback for the SDK's Prometheus exporter (it needs a fixed address). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The Temporal SDK's own metrics (workflow and activity task latencies, poller counts, sticky
 * cache, …) scraped from its exporter at `address`, to be served after ours on one `/metrics`.
 * A failed scrape becomes a comment, so our own metrics are still served.
 */
export async function scrapeSdkMetrics(address: string, timeoutMs = 2000): Promise<string> {
  try {
    const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.text();
  } catch (error) {
    return `# Temporal SDK metrics unavailable at ${address}: ${(error as Error).message}\n`;
  }
}
