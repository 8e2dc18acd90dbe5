import { Module } from '@nestjs/common';
import { CustomerTimelineStore, ErasureStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { ProfileIdentityResolver } from './identity/profile-identity.resolver';
import { ProfileConnectionTotalCount, ProfileEventConnectionTotalCount } from './models/connections.model';
import { TimelineConnectionTotalCount } from './models/timeline.model';
import { ProfileTimelineResolver } from './profile-timeline.resolver';
import { ProfileTimelineService } from './profile-timeline.service';
import { ProfilesResolver } from './profiles.resolver';
import { ProfilesService } from './profiles.service';

@Module({
  imports: [EventsModule],
  providers: [
    ProfilesResolver,
    ProfileConnectionTotalCount,
    ProfileEventConnectionTotalCount,
    TimelineConnectionTotalCount,
    ProfileIdentityResolver,
    ProfilesService,
    { provide: ErasureStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ErasureStore(dataSource) },
    ProfileTimelineResolver,
    ProfileTimelineService,
    { provide: CustomerTimelineStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new CustomerTimelineStore(dataSource) },
  ],
})
export class ProfilesModule {}
