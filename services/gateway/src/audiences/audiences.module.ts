import { Module } from '@nestjs/common';
import { AudienceStore, BroadcastStore, TemplateStore, type DataSource } from '@continuum/data';
import { JourneyCatalogueModule } from '../catalogue/journey-catalogue.module';
import { DATA_SOURCE } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { JourneysService } from '../journeys/journeys.service';
import { AudienceConnectionTotalCount, AudienceMemberConnectionTotalCount } from './audience.models';
import { AudienceMemberResolver, AudiencesResolver } from './audiences.resolver';
import { AudiencesService } from './audiences.service';
import { BroadcastConnectionTotalCount, BroadcastRunConnectionTotalCount } from './broadcast.models';
import { BroadcastRunResolver, BroadcastsResolver } from './broadcasts.resolver';
import { BroadcastsService } from './broadcasts.service';

@Module({
  // A broadcast's journey is read through the journey catalogue's own service.
  imports: [EventsModule, JourneyCatalogueModule],
  providers: [
    AudiencesResolver,
    AudienceMemberResolver,
    AudiencesService,
    AudienceConnectionTotalCount,
    AudienceMemberConnectionTotalCount,
    BroadcastsResolver,
    BroadcastRunResolver,
    BroadcastsService,
    BroadcastConnectionTotalCount,
    BroadcastRunConnectionTotalCount,
    JourneysService,
    { provide: BroadcastStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new BroadcastStore(dataSource) },
    { provide: TemplateStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TemplateStore(dataSource) },
    { provide: AudienceStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new AudienceStore(dataSource) },
  ],
})
export class AudiencesModule {}
