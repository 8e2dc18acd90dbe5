import { Module } from '@nestjs/common';
import { InboxStore, LiveChangeStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { CustomerProfiles } from '../conversations/customer-profiles';
import { InboxResolver } from './inbox.resolver';
import { InboxUpdatesResolver } from './inbox-updates.resolver';
import { InboxConnectionTotalCount } from './models/inbox-message.model';
import { InboxService } from './inbox.service';
import { InboxUpdates } from './inbox-updates.service';

/** The in-app channel's inbox: queries, read/archive mutations and live updates fed by PostgreSQL notifications. */
@Module({
  providers: [
    InboxResolver,
    InboxUpdatesResolver,
    InboxConnectionTotalCount,
    InboxService,
    InboxUpdates,
    CustomerProfiles,
    { provide: InboxStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new InboxStore(dataSource) },
    { provide: LiveChangeStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new LiveChangeStore(dataSource) },
  ],
})
export class InboxModule {}
