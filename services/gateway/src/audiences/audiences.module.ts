import { Module } from '@nestjs/common';
import { AudienceStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { AudiencesResolver } from './audiences.resolver';
import { AudiencesService } from './audiences.service';

@Module({
  imports: [EventsModule],
  providers: [
    AudiencesResolver,
    AudiencesService,
    { provide: AudienceStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new AudienceStore(dataSource) },
  ],
})
export class AudiencesModule {}
