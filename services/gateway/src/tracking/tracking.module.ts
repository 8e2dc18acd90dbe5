import { Module } from '@nestjs/common';
import { SourceKeyStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { SourceRateLimitGuard } from './source-rate-limit.guard';
import { TrackingController } from './tracking.controller';
import { TrackingResolver } from './tracking.resolver';
import { TrackingService } from './tracking.service';
import { WriteKeyAuthenticator, WriteKeyGuard } from './write-key.guard';

/** Segment-compatible tracking API (`/v1/*`, write keys) and its GraphQL mutations. */
@Module({
  imports: [EventsModule],
  controllers: [TrackingController],
  providers: [
    TrackingService,
    TrackingResolver,
    WriteKeyGuard,
    WriteKeyAuthenticator,
    SourceRateLimitGuard,
    { provide: SourceKeyStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new SourceKeyStore(dataSource) },
  ],
  // The admin API drops a revoked write key from the guard's cache.
  exports: [WriteKeyAuthenticator],
})
export class TrackingModule {}
