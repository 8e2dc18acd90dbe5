import { Module } from '@nestjs/common';
import { BroadcastStore, LiveChangeStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { BroadcastUpdatesResolver } from './broadcast-updates.resolver';
import { BroadcastUpdates } from './broadcast-updates.service';

/** broadcastUpdates: a broadcast's runs live over graphql-ws, resumable from the change log. */
@Module({
  providers: [
    BroadcastUpdates,
    BroadcastUpdatesResolver,
    { provide: BroadcastStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new BroadcastStore(dataSource) },
    { provide: LiveChangeStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new LiveChangeStore(dataSource) },
  ],
})
export class BroadcastUpdatesModule {}
