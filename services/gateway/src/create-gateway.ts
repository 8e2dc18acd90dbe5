import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { GatewayConfig } from '@continuum/config';
import { installConfiguredTracing, installTracing } from '@continuum/temporal';
import { GatewayModule } from './gateway.module';
import { GatewayMetrics } from './observability/gateway-metrics';
import { httpTracingMiddleware } from './observability/http-tracing';
import { JsonLogger } from './observability/json-logger';
import { configureJsonBody } from './http-body/json-body';
import { refuseUnstorableText } from './http-body/storable-text.middleware';
import { codecCors } from './codec/codec-cors';
import { DEFAULT_CONSOLE_DIR, serveConsole } from './console/serve-console';

/**
 * Builds and starts the gateway on GATEWAY_HOST:GATEWAY_PORT (0 picks a free port). Logs are JSON
 * lines on stdout, or given to `writeLog` (tests).
 */
export async function startGateway(
  config: GatewayConfig,
  options: { writeLog?: (line: string) => void; spanExporter?: SpanExporter } = {},
): Promise<{ app: INestApplication; url: string }> {
  // Before the Temporal client connects, so that its starts and signals carry the trace.
  const tracing = options.spanExporter ? installTracing('continuum-gateway', options.spanExporter) : installConfiguredTracing('continuum-gateway', config, options.writeLog);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), {
    logger: new JsonLogger(config.LOG_LEVEL, options.writeLog),
    bodyParser: true,
    // Signed webhooks (SendGrid's Event Webhook) are verified over the body exactly as it came.
    rawBody: true,
  });
  if (tracing) app.use(httpTracingMiddleware(tracing.tracer));
  // The Temporal Web UI calls the codec server from another origin (preflights answered here).
  app.use('/codec', codecCors(config.CODEC_CORS_ORIGINS));
  app.use(app.get(GatewayMetrics).httpMiddleware());
  configureJsonBody(app);
  app.use(refuseUnstorableText);
  // The web console (apps/console), a static single-page app that calls only the GraphQL API.
  serveConsole(app, config.CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR);
  app.enableShutdownHooks();
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.GATEWAY_HOST}:${address.port}`;
  Logger.log(`gateway listening on ${url}/graphql`, 'Gateway');
  return { app, url };
}
