import { Module } from '@nestjs/common';
import { CustomerTimelineStore, LiveChangeStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { LiveUpdatesResolver } from './live-updates.resolver';
import { LiveUpdates } from './live-updates.service';

/** GraphQL subscriptions fed by PostgreSQL notifications, so that every replica delivers every change. */
@Module({
  providers: [
    LiveUpdates,
    LiveUpdatesResolver,
    { provide: CustomerTimelineStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new CustomerTimelineStore(dataSource) },
    { provide: LiveChangeStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new LiveChangeStore(dataSource) },
  ],
})
export class LiveModule {}
