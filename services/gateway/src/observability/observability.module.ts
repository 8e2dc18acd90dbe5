import { Global, Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';

/** Metrics shared by every feature module, and the `/metrics` endpoint. */
@Global()
@Module({ providers: [GatewayMetrics], controllers: [MetricsController], exports: [GatewayMetrics] })
export class ObservabilityModule {}
