import { Module } from '@nestjs/common';
import { RetentionStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { RetentionService } from './retention.service';

/** The data retention job (docs/operating.md, "Retention"). */
@Module({
  providers: [RetentionService, { provide: RetentionStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new RetentionStore(dataSource) }],
})
export class RetentionModule {}
