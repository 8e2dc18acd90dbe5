import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import {
  ConsentStore,
  EventStore,
  IdentityStore,
  JournalStore,
  JourneyCatalogueStore,
  MessageStore,
  openDataSource,
  ProfileStore,
  WorkspaceStore,
  type DataSource,
} from '@continuum/data';
import { connectTemporalClient, type TemporalClientHandle } from '@continuum/temporal';
import { DATA_SOURCE, GATEWAY_CONFIG, TEMPORAL_CLIENT } from './tokens';

/** Configuration, PostgreSQL stores and the Temporal client, shared by every feature module. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  static forRoot(config: GatewayConfig): DynamicModule {
    const stores = [WorkspaceStore, ProfileStore, EventStore, JournalStore, MessageStore, JourneyCatalogueStore, IdentityStore, ConsentStore].map((Store) => ({
      provide: Store,
      inject: [DATA_SOURCE],
      useFactory: (dataSource: DataSource) => new Store(dataSource),
    }));
    return {
      module: CoreModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        {
          provide: DATA_SOURCE,
          useFactory: () => openDataSource(config.DATABASE_URL, { applicationName: 'continuum-gateway' }),
        },
        { provide: TEMPORAL_CLIENT, useFactory: () => connectTemporalClient(config) },
        ...stores,
      ],
      exports: [GATEWAY_CONFIG, DATA_SOURCE, TEMPORAL_CLIENT, ...stores.map((store) => store.provide)],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.temporal.close();
    await this.dataSource.destroy();
  }
}
