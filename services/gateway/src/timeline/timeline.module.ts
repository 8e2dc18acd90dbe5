import { Module } from '@nestjs/common';
import { CustomerTimelineStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { ProfileTimelineResolver } from './profile-timeline.resolver';
import { ProfileTimelineService } from './profile-timeline.service';
import { TimelineItemResolver } from './timeline-item.resolver';
import { TimelineConnectionTotalCount } from './timeline.model';

/**
 * `Profile.timeline`, a customer's events, journal entries, messages and operator actions as one time line, and
 * `at`/`kind` of the entities that are `TimelineItem`s; its own folder, as it reads the entities of every area.
 */
@Module({
  providers: [
    ProfileTimelineResolver,
    ProfileTimelineService,
    TimelineItemResolver,
    TimelineConnectionTotalCount,
    { provide: CustomerTimelineStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new CustomerTimelineStore(dataSource) },
  ],
})
export class TimelineModule {}
