import { Module } from '@nestjs/common';
import { JourneyInstanceSearchStore, JourneyStatsStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { JourneyCatalogueModule } from '../catalogue/journey-catalogue.module';
import { JourneyInstanceListResolver } from './journey-instance-list.resolver';
import { JourneyInstanceListService } from './journey-instance-list.service';
import { JourneyInstancesResolver } from './journey-instances.resolver';
import { JourneyInstancesService } from './journey-instances.service';
import { JourneyStatsResolver } from './journey-stats.resolver';
import { JourneyStatsService } from './journey-stats.service';
import { JourneysResolver } from './journeys.resolver';
import { JourneysService } from './journeys.service';

@Module({
  imports: [JourneyCatalogueModule],
  providers: [
    JourneysResolver,
    JourneysService,
    JourneyInstancesResolver,
    JourneyInstancesService,
    JourneyInstanceListResolver,
    JourneyInstanceListService,
    JourneyStatsResolver,
    JourneyStatsService,
    { provide: JourneyInstanceSearchStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new JourneyInstanceSearchStore(dataSource) },
    { provide: JourneyStatsStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new JourneyStatsStore(dataSource) },
  ],
})
export class JourneysModule {}
