import { Module } from '@nestjs/common';
import { TenantAdmin, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { TrackingModule } from '../tracking/tracking.module';
import { ApiKeyConnectionTotalCount, WorkspaceConnectionTotalCount, WriteKeyConnectionTotalCount } from './admin.models';
import { AdminResolver } from './admin.resolver';
import { AdminService } from './admin.service';
import { BootstrapAdminKey } from './bootstrap-admin-key';

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
  ],
})
export class AdminModule {}
