import { Module } from '@nestjs/common';
import { AudienceStore, BroadcastStore, TemplateStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { AudiencesResolver } from './audiences.resolver';
import { AudiencesService } from './audiences.service';
import { BroadcastsResolver } from './broadcasts.resolver';
import { BroadcastsService } from './broadcasts.service';

@Module({
  imports: [EventsModule],
  providers: [
    AudiencesResolver,
    AudiencesService,
    BroadcastsResolver,
    BroadcastsService,
    { provide: BroadcastStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new BroadcastStore(dataSource) },
    { provide: TemplateStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TemplateStore(dataSource) },
    { provide: AudienceStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new AudienceStore(dataSource) },
  ],
})
export class AudiencesModule {}
