import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { globalMessagingPolicy, type GatewayConfig } from '@continuum/config';
import {
  ConsentStore,
  createPayloadEncryption,
  EventStore,
  RoutingLeaseStore,
  IdentityStore,
  JournalStore,
  JourneyCatalogueStore,
  MessageStore,
  MessagingPolicies,
  MessagingPolicyStore,
  openDataSource,
  ProfileStore,
  WorkspaceStore,
  type DataSource,
} from '@continuum/data';
import { REGION_TIME_ZONES } from '@continuum/domain';
import { connectTemporalClient, type TemporalClientHandle } from '@continuum/temporal';
import { DATA_SOURCE, GATEWAY_CONFIG, PAYLOAD_CODEC, TEMPORAL_CLIENT, type PayloadCodecHolder } from './tokens';

/** Configuration, PostgreSQL stores and the Temporal client, shared by every feature module. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly policyStore: MessagingPolicyStore,
  ) {}

  static forRoot(config: GatewayConfig): DynamicModule {
    const stores = [WorkspaceStore, ProfileStore, EventStore, RoutingLeaseStore, JournalStore, MessageStore, JourneyCatalogueStore, IdentityStore, ConsentStore].map((Store) => ({
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
        {
          provide: PAYLOAD_CODEC,
          inject: [DATA_SOURCE],
          useFactory: (dataSource: DataSource): PayloadCodecHolder => {
            const encryption = createPayloadEncryption(dataSource, config.CONTINUUM_ROOT_KEY, config.CONTINUUM_PREVIOUS_ROOT_KEYS);
            if (!encryption) Logger.warn('payload encryption is off (CONTINUUM_ROOT_KEY is not set): customer data is stored in clear in Temporal', 'Security');
            return { codec: encryption?.codec, keys: encryption?.keys };
          },
        },
        {
          provide: TEMPORAL_CLIENT,
          inject: [PAYLOAD_CODEC],
          useFactory: ({ codec }: PayloadCodecHolder) => connectTemporalClient(config, { codec }),
        },
        ...stores,
        {
          // Saved policies reach every gateway at once through NOTIFY (else within POLICY_CACHE_TTL_MS).
          provide: MessagingPolicyStore,
          inject: [DATA_SOURCE],
          useFactory: async (dataSource: DataSource) => {
            const store = new MessagingPolicyStore(dataSource);
            await store.listen(config.DATABASE_URL);
            return store;
          },
        },
        {
          provide: MessagingPolicies,
          inject: [MessagingPolicyStore],
          useFactory: (store: MessagingPolicyStore) => new MessagingPolicies(store, globalMessagingPolicy(config), { ...REGION_TIME_ZONES }),
        },
      ],
      exports: [GATEWAY_CONFIG, DATA_SOURCE, PAYLOAD_CODEC, TEMPORAL_CLIENT, MessagingPolicyStore, MessagingPolicies, ...stores.map((store) => store.provide)],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.temporal.close();
    await this.policyStore.stopListening();
    await this.dataSource.destroy();
  }
}
