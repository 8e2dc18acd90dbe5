import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthChecks } from '@continuum/health';

export interface WorkerHttpServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Readiness: every check must be `up`. */
  readiness(): Promise<HealthChecks>;
  /** Prometheus text exposition. */
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface WorkerHttpServer {
  url: string;
  close(): Promise<void>;
}

/** The worker's only HTTP surface: `/health/live`, `/health/ready` and `/metrics`. */
export async function startWorkerHttpServer(options: WorkerHttpServerOptions): Promise<WorkerHttpServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { status: 'error', message: (error as Error).message });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: WorkerHttpServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { status: 'error', message: 'only GET' });
  switch (path) {
    case '/health/live':
      return sendJson(response, 200, { status: 'ok' });
    case '/health':
    case '/health/ready': {
      const checks = await options.readiness();
      const ok = Object.values(checks).every((check) => check === 'up');
      return sendJson(response, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', checks });
    }
    case '/metrics': {
      const { contentType, body } = await options.metrics();
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
      return;
    }
    default:
      return sendJson(response, 404, { status: 'error', message: `no ${path}; try /health/live, /health/ready or /metrics` });
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
