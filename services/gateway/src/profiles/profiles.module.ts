import { Module } from '@nestjs/common';
import { ErasureStore, JourneyInstanceSearchStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { ProfileIdentityResolver, ProfileMergeRecordResolver } from './identity/profile-identity.resolver';
import { ConsentChangeConnectionTypes, IdentityConnectionTypes, ProfileMergeRecordConnectionTypes } from './identity/identity.models';
import {
  MessageConnectionTotalCount,
  ProfileConnectionTotalCount,
  ProfileEventConnectionTotalCount,
  ProfileJourneyInstanceConnectionTotalCount,
} from './models/connections.model';
import { MessageRelationsResolver, ProfileEventRelationsResolver, ProfilesResolver } from './profiles.resolver';
import { ProfilesService } from './profiles.service';

/** The resolvers of profiles, identities and consent beside the main ones (relations, totalCount of each connection); schema.ts lists them too. */
export const PROFILE_FIELD_RESOLVERS = [
  MessageRelationsResolver,
  ProfileEventRelationsResolver,
  ProfileMergeRecordResolver,
  MessageConnectionTotalCount,
  ProfileJourneyInstanceConnectionTotalCount,
  IdentityConnectionTypes.TotalCount,
  ConsentChangeConnectionTypes.TotalCount,
  ProfileMergeRecordConnectionTypes.TotalCount,
];

@Module({
  imports: [EventsModule],
  providers: [
    ProfilesResolver,
    ProfileConnectionTotalCount,
    ProfileEventConnectionTotalCount,
    ...PROFILE_FIELD_RESOLVERS,
    ProfileIdentityResolver,
    ProfilesService,
    { provide: JourneyInstanceSearchStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new JourneyInstanceSearchStore(dataSource) },
    { provide: ErasureStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ErasureStore(dataSource) },
  ],
})
export class ProfilesModule {}
