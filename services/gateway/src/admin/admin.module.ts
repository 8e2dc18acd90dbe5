import { Module } from '@nestjs/common';
import { RequestSigningSecretStore, TenantAdmin, type DataSource } from '@continuum/data';
import { DATA_SOURCE, PAYLOAD_CODEC, type PayloadCodecHolder } from '../core/tokens';
import { TrackingModule } from '../tracking/tracking.module';
import { ApiKeyConnectionTotalCount, WorkspaceConnectionTotalCount, WriteKeyConnectionTotalCount } from './admin.models';
import { AdminResolver } from './admin.resolver';
import { AdminService } from './admin.service';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { RequestSigningResolver } from './request-signing.resolver';

@Module({
  imports: [TrackingModule],
  providers: [
    AdminResolver,
    AdminService,
    BootstrapAdminKey,
    WorkspaceConnectionTotalCount,
    ApiKeyConnectionTotalCount,
    WriteKeyConnectionTotalCount,
    { provide: TenantAdmin, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TenantAdmin(dataSource) },
    RequestSigningResolver,
    {
      provide: RequestSigningSecretStore,
      inject: [DATA_SOURCE, PAYLOAD_CODEC],
      useFactory: (dataSource: DataSource, { keys }: PayloadCodecHolder) => new RequestSigningSecretStore(dataSource, keys),
    },
  ],
  exports: [AdminService, TenantAdmin],
})
export class AdminModule {}
