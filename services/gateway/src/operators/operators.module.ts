import { Module } from '@nestjs/common';
import { OperatorAuditStore, TransactionalStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { OperatorAuditConnectionTotalCount } from './models/operator-audit.model';
import { OperatorActionsResolver } from './operator-actions.resolver';
import { OperatorActionsService } from './operator-actions.service';

@Module({
  providers: [
    OperatorActionsResolver,
    OperatorAuditConnectionTotalCount,
    OperatorActionsService,
    { provide: OperatorAuditStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new OperatorAuditStore(dataSource) },
    { provide: TransactionalStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TransactionalStore(dataSource) },
  ],
})
export class OperatorsModule {}
