import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { activeTracing } from '@continuum/temporal';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';

/** Sends the spans still waiting in a batch (OTLP) when the gateway stops. */
@Injectable()
export class SpanFlushOnShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await activeTracing()?.flush();
  }
}

/** Metrics shared by every feature module, and the `/metrics` endpoint. */
@Global()
@Module({ providers: [GatewayMetrics, SpanFlushOnShutdown], controllers: [MetricsController], exports: [GatewayMetrics] })
export class ObservabilityModule {}
