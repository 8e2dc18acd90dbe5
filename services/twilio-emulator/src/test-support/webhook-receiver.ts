import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  /** Path and query as requested. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The form fields (empty for a JSON body). */
  params: Record<string, string>;
  /** The raw body, exactly as received (what signatures over JSON bodies cover). */
  body: string;
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:54321 */
  url: string;
  received: ReceivedWebhook[];
  /** Resolves once `count` requests have arrived (rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  /** The HTTP status answered to the next requests. */
  respondWith(status: number): void;
  close(): Promise<void>;
}

/** Test-only: a tiny HTTP server that records POSTs (form fields parsed), standing in for the gateway's webhooks. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: Array<() => void> = [];
  let status = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const params = form ? Object.fromEntries(new URLSearchParams(body)) : {};
      received.push({ path: req.url ?? '/', headers: req.headers, params, body });
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end('<Response/>');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    received,
    respondWith(next) {
      status = next;
    },
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} webhook(s) within ${timeoutMs} ms, got ${received.length}`)),
          timeoutMs,
        );
        const check = () => {
          if (received.length >= count) {
            clearTimeout(timer);
            resolve(received.slice(0, count));
          } else waiters.push(check);
        };
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
