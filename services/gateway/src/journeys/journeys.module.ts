import { Module } from '@nestjs/common';
import { ExperimentStore, JourneyInstanceSearchStore, JourneyStatsStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { JourneyCatalogueModule } from '../catalogue/journey-catalogue.module';
import { JourneyInstanceSearchResolver } from './journey-instance-search.resolver';
import { JourneyInstanceConnectionTotalCount } from './models/journey-instance-connection.model';
import { JourneyInstanceSearchService } from './journey-instance-search.service';
import { JourneyInstanceResolver, TimelineEntryRelationsResolver } from './journey-instance.resolver';
import { JourneyInstanceService } from './journey-instance.service';
import { TimelineEntryConnectionTotalCount } from './models/journey-instance-detail.model';
import { ExperimentResultsResolver, JourneyGoalConversionResolver } from './experiment-results.resolver';
import { ExperimentResultsService } from './experiment-results.service';
import { JourneyStatsResolver } from './journey-stats.resolver';
import { JourneyStatsService } from './journey-stats.service';
import { JourneysResolver } from './journeys.resolver';
import { JourneyGraphResolver } from './journey-graph.resolver';
import { JourneyGraphService } from './journey-graph.service';
import { JourneysService } from './journeys.service';

@Module({
  imports: [JourneyCatalogueModule],
  providers: [
    JourneysResolver,
    JourneyGraphResolver,
    JourneyGraphService,
    JourneysService,
    JourneyInstanceResolver,
    TimelineEntryRelationsResolver,
    JourneyInstanceService,
    TimelineEntryConnectionTotalCount,
    JourneyInstanceSearchResolver,
    JourneyInstanceConnectionTotalCount,
    JourneyInstanceSearchService,
    JourneyStatsResolver,
    JourneyStatsService,
    ExperimentResultsResolver,
    JourneyGoalConversionResolver,
    ExperimentResultsService,
    { provide: ExperimentStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ExperimentStore(dataSource) },
    { provide: JourneyInstanceSearchStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new JourneyInstanceSearchStore(dataSource) },
    { provide: JourneyStatsStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new JourneyStatsStore(dataSource) },
  ],
})
export class JourneysModule {}
